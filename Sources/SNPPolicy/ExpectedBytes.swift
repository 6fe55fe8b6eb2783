import SNPABI

/// A byte field must hold exactly the expected value: REPORT_DATA (the broker's nonce binding),
/// HOST_DATA, FAMILY_ID, IMAGE_ID, ID_KEY_DIGEST or AUTHOR_KEY_DIGEST.
public struct ExpectedBytes: ReportPolicy, Hashable {
    public let field: ReportBytesField
    public let expected: [UInt8]

    /// - Precondition: `expected.count == field.byteCount`.
    public init(_ field: ReportBytesField, _ expected: [UInt8]) {
        precondition(expected.count == field.byteCount, "\(field.reportField.name) is \(field.byteCount) bytes")
        self.field = field
        self.expected = expected
    }

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        let actual = field.value(in: report)
        if actual == expected { return [] }
        return [PolicyViolation(
            check: field.check, field: field.reportField, expected: Hex.encode(expected), actual: Hex.encode(actual),
            reason: "\(field.reportField.name) does not hold the expected value")]
    }
}
