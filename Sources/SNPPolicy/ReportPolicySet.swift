import SNPABI

/// Several policies run as one: the violations of all of them, in order. A set is itself a
/// ``ReportPolicy``, so sets nest (a tenant's file-based policy plus the broker's nonce check).
public struct ReportPolicySet: ReportPolicy {
    public let policies: [any ReportPolicy]

    public init(_ policies: [any ReportPolicy]) {
        self.policies = policies
    }

    public init(@ReportPolicyBuilder _ build: () -> [any ReportPolicy]) {
        self.policies = build()
    }

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        policies.flatMap { $0.evaluate(report) }
    }
}
