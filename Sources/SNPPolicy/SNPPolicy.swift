/// SNPPolicy: composable checks over a parsed `AttestationReport` that return every violation.
public enum SNPPolicyModule {}
