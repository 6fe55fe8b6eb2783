import SNPABI

/// Every check run on one report, pass or fail, in ``SNPCheck`` order.
public struct VerificationResult: Sendable, CustomStringConvertible {
    /// One result per ``SNPCheck``, in `SNPCheck.allCases` order.
    public let checks: [CheckResult]
    /// The generation of the ARK the chain ended in, if any.
    public let chainGeneration: ProcessorGeneration?
    /// SHA-256 of the VEK DER (the cache key).
    public let vekFingerprint: [UInt8]
    /// Whether the chain's signatures came from the cache instead of being verified now.
    public let usedCachedChain: Bool
    /// SHA-256 of the DER of the trusted ARK the chain ended in (nil when no trusted root was reached).
    public var rootFingerprint: [UInt8]? = nil

    /// True when every check passed.
    public var isVerified: Bool { checks.count == SNPCheck.allCases.count && checks.allSatisfy(\.passed) }

    /// The failed checks.
    public var failures: [CheckResult] { checks.filter { !$0.passed } }

    /// The result of `check`.
    public subscript(check: SNPCheck) -> CheckResult {
        checks.first { $0.check == check } ?? .fail(check, .notEvaluated(prerequisite: check))
    }

    /// One `PASS/FAIL <check>: <reason>` line per check.
    public var description: String { checks.map(\.description).joined(separator: "\n") }
}
