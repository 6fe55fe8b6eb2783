/// The outcome of one ``SNPCheck``.
public struct CheckResult: Sendable, Hashable, CustomStringConvertible {
    public enum Outcome: Sendable, Hashable {
        /// Passed; the text says what was compared (or why the check does not apply).
        case passed(String)
        case failed(VerificationFailure)
    }

    public let check: SNPCheck
    public let outcome: Outcome

    public init(_ check: SNPCheck, _ outcome: Outcome) {
        self.check = check
        self.outcome = outcome
    }

    static func pass(_ check: SNPCheck, _ detail: String) -> CheckResult { CheckResult(check, .passed(detail)) }
    static func fail(_ check: SNPCheck, _ failure: VerificationFailure) -> CheckResult { CheckResult(check, .failed(failure)) }

    public var passed: Bool {
        if case .passed = outcome { return true }
        return false
    }

    /// The failure, if the check failed.
    public var failure: VerificationFailure? {
        if case .failed(let failure) = outcome { return failure }
        return nil
    }

    /// `PASS report-signature: …` / `FAIL hwID: …`.
    public var description: String {
        switch outcome {
        case .passed(let detail): "PASS \(check): \(detail)"
        case .failed(let failure): "FAIL \(check): \(failure)"
        }
    }
}
