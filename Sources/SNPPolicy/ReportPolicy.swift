import SNPABI

/// One check over a parsed attestation report.
///
/// A policy returns what is wrong instead of throwing at the first mismatch (swift-certificates'
/// `VerifierPolicy` style): compose policies with ``ReportPolicySet`` and every violation of every
/// check is reported together.
public protocol ReportPolicy: Sendable {
    /// Every way `report` fails this check; empty when it passes.
    func evaluate(_ report: AttestationReport) -> [PolicyViolation]
}

extension ReportPolicy {
    /// Runs the check and wraps the result.
    public func check(_ report: AttestationReport) -> PolicyEvaluation {
        PolicyEvaluation(violations: evaluate(report))
    }
}
