/// Why ``AttestationReport/init(bytes:generationHint:)`` rejected a buffer. Offsets are
/// ATTESTATION_REPORT offsets (AMD #56860; `docs/snp-abi.md` §3).
public enum ReportParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The buffer is not exactly 0x4A0 bytes.
    case wrongSize(actual: Int)
    /// VERSION (0x000) is not 2, 3 or 5.
    case unsupportedVersion(UInt32)
    /// A must-be-zero byte range holds non-zero bytes (the whole range's content is carried).
    case reservedNonZero(range: Range<Int>, bytes: [UInt8])
    /// A must-be-zero bit field inside the integer at `offset` has `bits` set.
    /// POLICY (0x008) bits 63:26, KEY_INFO (0x048) bits 31:5.
    case reservedBitsSet(offset: Int, value: UInt64, bits: UInt64)
    /// POLICY (0x008) bit 17, which must be one, is zero.
    case policyMustBeOneBitClear(policy: UInt64)
    /// SIGNATURE_ALGO (0x034) is not 1 (ECDSA P-384 with SHA-384).
    case unsupportedSignatureAlgorithm(UInt32)
    /// KEY_INFO (0x048) bits 4:2 SIGNING_KEY hold a reserved value (2-6).
    case reservedSigningKey(UInt8)
    /// The caller's generation hint contradicts CPUID_FAM_ID / CPUID_MOD_ID (0x188, 0x189).
    case generationMismatch(hint: ProcessorGeneration, reported: ProcessorGeneration)

    public var description: String {
        switch self {
        case let .wrongSize(actual):
            return "attestation report must be \(AttestationReport.byteCount) (0x4A0) bytes, got \(actual)"
        case let .unsupportedVersion(version):
            return "attestation report VERSION (0x000) \(version) is not supported (2, 3 and 5 are)"
        case let .reservedNonZero(range, bytes):
            return "attestation report reserved range [\(hexRange(range))] is not all zero: \(abbreviatedHex(bytes))"
        case let .reservedBitsSet(offset, value, bits):
            return "attestation report field at \(hexOffset(offset)) = 0x\(String(value, radix: 16)) sets reserved bits 0x\(String(bits, radix: 16))"
        case let .policyMustBeOneBitClear(policy):
            return "attestation report POLICY (0x008) = 0x\(String(policy, radix: 16)) has must-be-one bit 17 clear"
        case let .unsupportedSignatureAlgorithm(algorithm):
            return "attestation report SIGNATURE_ALGO (0x034) \(algorithm) is not 1 (ECDSA P-384 SHA-384)"
        case let .reservedSigningKey(value):
            return "attestation report KEY_INFO (0x048) SIGNING_KEY \(value) is reserved (0 VCEK, 1 VLEK, 7 none)"
        case let .generationMismatch(hint, reported):
            return "attestation report CPUID (0x188) says \(reported.kdsProductName), the caller expected \(hint.kdsProductName)"
        }
    }
}
