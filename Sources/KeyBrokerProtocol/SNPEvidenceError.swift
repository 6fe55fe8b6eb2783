/// Why raw report bytes and the SNP evidence JSON form cannot be converted into each other.
public enum SNPEvidenceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The report is not 0x4A0 (1184) bytes.
    case wrongSize(actual: Int)
    /// `version` is not 2…5. sev rejects 0 and 1 and treats anything above 5 as 5; guestguard
    /// rejects unknown versions. (Trustee's verifier accepts only 3…5.)
    case unsupportedVersion(UInt32)
    /// Reserved bytes at `offset..<offset+count` are not zero. They have no JSON form, so the
    /// verifier would re-create zeros and the signature could not match.
    case reservedNonZero(offset: Int, count: Int)
    /// A version 2 report with an all-zero CHIP_ID: the TCB layout cannot be determined
    /// (sev `MaskedChipId`).
    case maskedChipID
    /// CPUID family/model (version ≥ 3) of no known SEV-SNP generation (sev `identify_cpu`).
    case unknownCPU(family: UInt8, model: UInt8)
    /// A member this version/generation requires is null or absent (e.g. `cpuid_fam_id` in v3,
    /// `launch_mit_vector` in v5, `reported_tcb.fmc` on Turin).
    case missingField(String)
    /// A member is set that this version/generation has no room for (e.g. `cpuid_fam_id` in
    /// v2, `launch_mit_vector` in v3, `current_tcb.fmc` on Milan/Genoa); the verifier would drop
    /// it silently.
    case unexpectedField(String)
    /// A byte array of the wrong length.
    case wrongLength(field: String, expected: Int, actual: Int)

    /// The JSON member (relative to `attestation_report`) the error is about, if any.
    public var field: String? {
        switch self {
        case .unsupportedVersion: return "version"
        case .maskedChipID: return "chip_id"
        case .unknownCPU: return "cpuid_mod_id"
        case .missingField(let field), .unexpectedField(let field), .wrongLength(let field, _, _): return field
        case .wrongSize, .reservedNonZero: return nil
        }
    }

    public var description: String {
        switch self {
        case .wrongSize(let actual):
            return "SNP report is \(actual) bytes, expected 1184 (0x4A0)"
        case .unsupportedVersion(let version):
            return "SNP report version \(version) is not supported (2…5)"
        case .reservedNonZero(let offset, let count):
            return "reserved SNP report bytes [0x\(String(offset, radix: 16, uppercase: true)), 0x\(String(offset + count, radix: 16, uppercase: true))) are not zero"
        case .maskedChipID:
            return "version 2 SNP report with a masked (all-zero) CHIP_ID: TCB layout unknown"
        case .unknownCPU(let family, let model):
            return "CPUID family 0x\(String(family, radix: 16, uppercase: true)) model 0x\(String(model, radix: 16, uppercase: true)) is no known SEV-SNP generation"
        case .missingField(let field):
            return "SNP evidence member \(field) is required for this report version/generation"
        case .unexpectedField(let field):
            return "SNP evidence member \(field) must be null for this report version/generation"
        case .wrongLength(let field, let expected, let actual):
            return "SNP evidence member \(field) has \(actual) bytes, expected \(expected)"
        }
    }
}
