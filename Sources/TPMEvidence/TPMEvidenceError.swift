/// Why TPM evidence bytes do not parse (TPMS_ATTEST, TPMT_PUBLIC, TPMT_SIGNATURE).
public enum TPMEvidenceError: Error, Sendable, Hashable, CustomStringConvertible {
    case truncated(structure: String, field: String, offset: Int)
    case fieldTooLarge(structure: String, field: String, offset: Int, size: Int, maximum: Int)
    case trailingBytes(structure: String, count: Int)
    /// TPMS_ATTEST.magic is not TPM_GENERATED_VALUE (0xff544347): the TPM did not make it.
    case notTPMGenerated(magic: UInt32)
    /// TPMS_ATTEST.type is not TPM_ST_ATTEST_QUOTE (0x8018).
    case notAQuote(type: UInt16)
    case unsupportedAlgorithm(structure: String, field: String, algorithm: UInt16)

    public var description: String {
        switch self {
        case .truncated(let structure, let field, let offset): "\(structure).\(field): truncated at offset \(offset)"
        case .fieldTooLarge(let structure, let field, let offset, let size, let maximum):
            "\(structure).\(field) at offset \(offset): \(size) bytes exceed the maximum \(maximum)"
        case .trailingBytes(let structure, let count): "\(structure): \(count) trailing byte(s)"
        case .notTPMGenerated(let magic): "TPMS_ATTEST.magic is 0x\(String(magic, radix: 16)), not TPM_GENERATED_VALUE 0xff544347"
        case .notAQuote(let type): "TPMS_ATTEST.type is 0x\(String(type, radix: 16)), not TPM_ST_ATTEST_QUOTE 0x8018"
        case .unsupportedAlgorithm(let structure, let field, let algorithm):
            "\(structure).\(field): algorithm 0x\(String(algorithm, radix: 16)) is not supported"
        }
    }
}
