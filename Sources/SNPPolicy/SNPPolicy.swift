/// SNPPolicy: composable checks over a parsed `AttestationReport` that return every violation, and the
/// versioned SNP verification policy file (`docs/policy.md`) that configures them.
///
/// - ``ReportPolicy`` is one check; ``ReportPolicySet`` composes checks with ``ReportPolicyBuilder``.
/// - ``ReportPolicy/check(_:)`` returns a ``PolicyEvaluation`` listing all ``PolicyViolation``s.
/// - ``SNPVerificationPolicy`` is the policy file: ``SNPVerificationPolicy/init(parsing:fileName:)``,
///   ``SNPVerificationPolicy/tomlText()`` and ``SNPVerificationPolicy/reportPolicy``.
///
/// Nothing here verifies signatures or certificates: run these checks on a report whose signature and
/// VCEK/VLEK chain the verifier has already checked.
public enum SNPPolicyModule {}
