/// One way a report fails a policy: which check, which report field, what was expected and what the
/// report holds (bytes in lower-case hex), and a sentence for humans.
public struct PolicyViolation: Sendable, Hashable, CustomStringConvertible {
    public let check: PolicyCheck
    public let field: ReportField
    /// What the policy accepts: `0`, `>= 8`, `one of 0, 1`, 96 hex digits, ….
    public let expected: String
    /// What the report holds, in the same notation.
    public let actual: String
    /// Why this matters, in one sentence without a final period.
    public let reason: String

    public init(check: PolicyCheck, field: ReportField, expected: String, actual: String, reason: String) {
        self.check = check
        self.field = field
        self.expected = expected
        self.actual = actual
        self.reason = reason
    }

    /// `debug: POLICY.DEBUG (0x008 bit 19): the guest policy lets the host debug …; expected 0, found 1`.
    public var description: String {
        "\(check): \(field): \(reason); expected \(expected), found \(actual)"
    }
}
