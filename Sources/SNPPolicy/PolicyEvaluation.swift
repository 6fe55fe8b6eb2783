/// The result of checking a report: every violation, in the order the checks ran.
public struct PolicyEvaluation: Sendable, Hashable, CustomStringConvertible {
    public let violations: [PolicyViolation]

    public init(violations: [PolicyViolation]) {
        self.violations = violations
    }

    /// True when no check found a violation.
    public var isSatisfied: Bool { violations.isEmpty }

    /// "satisfied", or "N violations" followed by one violation per line.
    public var description: String {
        if violations.isEmpty { return "satisfied" }
        let count = violations.count == 1 ? "1 violation" : "\(violations.count) violations"
        return ([count] + violations.map { "  \($0)" }).joined(separator: "\n")
    }
}
