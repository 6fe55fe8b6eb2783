import SNPABI

/// Why raw report bytes and the SNP evidence JSON form cannot be converted into each other.
public enum SNPEvidenceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// SNPABI rejected the report: the bytes given, or the bytes the JSON members make
    /// (``AttestationReport/init(bytes:generationHint:)`` is the one parser).
    case report(ReportParseError)
    /// A version 2 report with a masked (all-zero) CHIP_ID: its TCB layout is undecided
    /// (``AttestationReport/tcbLayout``), and sev's JSON form needs one (sev `MaskedChipId`).
    case maskedChipID
    /// CPUID family/model (version ≥ 3) of no known SEV-SNP generation: no TCB layout (sev `identify_cpu`).
    case unknownCPU(family: UInt8, model: UInt8)
    /// A TCB_VERSION has non-zero bytes where its layout is reserved. They have no JSON member, so
    /// the verifier would rebuild zeros and the signature could not match.
    case reservedTCBBytes(field: String, value: UInt64)
    /// A member this version/generation requires is null or absent (e.g. `cpuid_fam_id` in v3,
    /// `launch_mit_vector` in v5, `reported_tcb.fmc` on Turin).
    case missingField(String)
    /// A member is set that this version/generation has no room for (e.g. `cpuid_fam_id` in
    /// v2, `launch_mit_vector` in v3, `current_tcb.fmc` on Milan/Genoa); the verifier would drop
    /// it silently.
    case unexpectedField(String)

    /// The JSON member (relative to `attestation_report`) the error is about, if any.
    public var field: String? {
        switch self {
        case .maskedChipID: return "chip_id"
        case .unknownCPU: return "cpuid_mod_id"
        case .reservedTCBBytes(let field, _), .missingField(let field), .unexpectedField(let field): return field
        case .report(let error): return Self.member(of: error)
        }
    }

    /// The sev JSON member holding the report field an SNPABI error names, by ATTESTATION_REPORT offset.
    static func member(of error: ReportParseError) -> String? {
        switch error {
        case .wrongSize: return nil
        case .unsupportedVersion: return "version"
        case .policyMustBeOneBitClear: return "policy"
        case .unsupportedSignatureAlgorithm: return "sig_algo"
        case .reservedSigningKey: return "key_info"
        case .generationMismatch: return "cpuid_mod_id"
        case .reservedBitsSet(let offset, _, _): return offset == 0x008 ? "policy" : offset == 0x048 ? "key_info" : nil
        case .reservedNonZero(let range, _):
            // Only the signature's padding (bytes 48..<72 of R and S) is reserved inside a member.
            if (0x2A0..<0x2E8).contains(range.lowerBound) { return "signature.r" }
            if (0x2E8..<0x330).contains(range.lowerBound) { return "signature.s" }
            return nil
        }
    }

    public var description: String {
        switch self {
        case .report(let error):
            return error.description
        case .maskedChipID:
            return "version 2 SNP report with a masked (all-zero) CHIP_ID: TCB layout unknown"
        case .unknownCPU(let family, let model):
            return "CPUID family 0x\(String(family, radix: 16, uppercase: true)) model 0x\(String(model, radix: 16, uppercase: true)) is no known SEV-SNP generation: TCB layout unknown"
        case .reservedTCBBytes(let field, let value):
            return "SNP report \(field) 0x\(String(value, radix: 16)) has non-zero reserved bytes, which the evidence JSON cannot carry"
        case .missingField(let field):
            return "SNP evidence member \(field) is required for this report version/generation"
        case .unexpectedField(let field):
            return "SNP evidence member \(field) must be null for this report version/generation"
        }
    }
}
