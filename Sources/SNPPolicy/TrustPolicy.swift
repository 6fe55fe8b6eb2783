/// The `[trust]` section of an SNP verification policy: which AMD Root Keys (ARKs) a verifier may
/// accept at the top of the VCEK/VLEK chain. This module only records the choice; the verifier
/// enforces it.
public struct TrustPolicy: Sendable, Hashable {
    /// Trust the AMD ARKs built into guestguard (Milan, Genoa, Turin).
    public var includesAMDRoots: Bool
    /// Further ARK certificates to trust, as absolute paths of PEM files (a simulated AMD-SP's ARK).
    public var arkCertificatePaths: [String]
    /// Further ARKs to trust, as SHA-256 digests (32 bytes) of their DER encoding.
    public var arkFingerprints: [[UInt8]]

    public init(includesAMDRoots: Bool, arkCertificatePaths: [String] = [], arkFingerprints: [[UInt8]] = []) {
        self.includesAMDRoots = includesAMDRoots
        self.arkCertificatePaths = arkCertificatePaths
        self.arkFingerprints = arkFingerprints
    }

    /// AMD's own roots and nothing else: the default when a policy has no `[trust]` section.
    public static let amdOnly = TrustPolicy(includesAMDRoots: true)
}
