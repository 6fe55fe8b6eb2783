import CanonicalJSON
import SNPABI
import SNPPolicy
import SNPVerifier

/// The outcome of appraising evidence: every signature/chain/binding check and every policy
/// violation, never only the first.
public struct AppraisalResult: Sendable {
    /// JSON schema of `json` (docs/schemas.md).
    public static let schema = "guestguard.verify/v1"

    /// The parsed report, when it parsed.
    public let report: AttestationReport?
    /// Problems found before any check could run (malformed report, no VEK, unusable certificate).
    public let errors: [String]
    /// The cryptographic checks (nil when the report could not be parsed or there was no VEK).
    public let verification: VerificationResult?
    /// The policy outcome (nil without a policy or without a verified report to apply it to).
    public let policy: PolicyEvaluation?
    /// The cryptographic checks passed earlier (see `ReportAppraiser.appraise(alreadyVerified:rootFingerprint:)`).
    public var alreadyVerified: Bool = false

    public init(report: AttestationReport?, errors: [String], verification: VerificationResult?, policy: PolicyEvaluation?, alreadyVerified: Bool = false) {
        self.report = report
        self.errors = errors
        self.verification = verification
        self.policy = policy
        self.alreadyVerified = alreadyVerified
    }

    /// True only when there are no errors, every check passed and no policy rule was violated.
    public var passed: Bool {
        errors.isEmpty && (alreadyVerified || (verification?.isVerified ?? false)) && (policy?.isSatisfied ?? true)
    }

    /// One line per check and violation: `PASS <check>: …` / `FAIL <check>: …`.
    public var lines: [String] {
        var lines = errors.map { "FAIL evidence: \($0)" }
        if let verification { lines += verification.checks.map(\.description) }
        if let policy {
            if policy.isSatisfied {
                lines.append("PASS policy: every rule satisfied")
            } else {
                lines += policy.violations.map { "FAIL policy \($0.check): \($0.reason) (\($0.field): expected \($0.expected), found \($0.actual))" }
            }
        }
        return lines
    }

    public var json: JSONValue {
        var checks: [JSONValue] = []
        for check in verification?.checks ?? [] {
            checks.append(["check": .string(check.check.rawValue), "passed": .bool(check.passed),
                           "detail": .string(check.failure.map(\.description) ?? String(check.description.drop(while: { $0 != ":" }).dropFirst(2)))])
        }
        let violations: [JSONValue] = (policy?.violations ?? []).map {
            ["check": .string($0.check.rawValue), "field": .string($0.field.description), "expected": .string($0.expected),
             "actual": .string($0.actual), "reason": .string($0.reason)]
        }
        return [
            "schema": .string(Self.schema),
            "verified": .bool(passed),
            "errors": .array(errors.map { .string($0) }),
            "checks": .array(checks),
            "policyApplied": .bool(policy != nil),
            "violations": .array(violations),
            "measurement": .optional(report.map { Self.hex($0.measurement) }),
            "reportData": .optional(report.map { Self.hex($0.reportData) }),
            "version": .optional(report.map { Int64($0.version) }),
            "vmpl": .optional(report.map { Int64($0.vmpl) }),
        ]
    }

    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }
}
