import CanonicalJSON
import GuestGuardAppraisal

/// The tenant's verdict on one `/v1/attestation` response: the report appraisal (AMD chain,
/// signature, policy) plus the checks this service adds (nonce, binding, document, posture).
public struct PostureVerification: Sendable {
    /// JSON schema of `json` (docs/serve.md).
    public static let schema = "guestguard.posture-verify/v1"

    /// One check beyond the report appraisal.
    public struct Check: Sendable, Hashable, CustomStringConvertible {
        /// `response`, `nonce`, `binding`, `document` or `posture`.
        public let name: String
        public let passed: Bool
        public let detail: String

        public init(_ name: String, _ passed: Bool, _ detail: String) {
            self.name = name
            self.passed = passed
            self.detail = detail
        }

        public var description: String { "\(passed ? "PASS" : "FAIL") \(name): \(detail)" }
    }

    /// Nil when the response could not be read at all.
    public let appraisal: AppraisalResult?
    public let checks: [Check]
    /// The posture document, when it parsed.
    public let document: JSONValue?

    /// True only when the appraisal and every check passed.
    public var passed: Bool { (appraisal?.passed ?? false) && checks.allSatisfy(\.passed) }

    public var lines: [String] { (appraisal?.lines ?? []) + checks.map(\.description) }

    public var json: JSONValue {
        [
            "schema": .string(Self.schema),
            "verified": .bool(passed),
            "report": appraisal?.json ?? .null,
            "checks": .array(checks.map { ["check": .string($0.name), "passed": .bool($0.passed), "detail": .string($0.detail)] }),
            "posture": document ?? .null,
        ]
    }
}
