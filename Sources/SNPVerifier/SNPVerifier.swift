/// SNPVerifier: AMD ARK → ASK/ASVK → VCEK/VLEK chain and report-signature verification.
public enum SNPVerifierModule {}
