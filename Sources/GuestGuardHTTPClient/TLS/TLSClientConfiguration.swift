/// How the client authenticates servers. The system trust store is never consulted: the
/// hypervisor controls the network, so only what the tenant pinned counts.
public struct TLSClientConfiguration: Hashable, Sendable {
    public enum Verification: Hashable, Sendable {
        /// The server's chain must verify to one of these certificates (PEM, one or more; each is
        /// a trust anchor even if it is an intermediate), and its certificate must name the host
        /// of the URL (`X509_VERIFY_PARAM_set1_host`, or `_set1_ip_asc` for an IP literal).
        case pinnedCA(pem: [UInt8])
        /// The server's leaf certificate must match one of the pins. No CA, no host-name or
        /// expiry check: the pin is the identity.
        case pinnedLeaf([TLSLeafPin])
    }

    public var verification: Verification
    public var minimumVersion: TLSVersion
    /// The name sent as SNI and checked against the certificate; nil means the URL's host.
    public var serverNameOverride: String?

    public init(verification: Verification, minimumVersion: TLSVersion = .v1_2, serverNameOverride: String? = nil) {
        self.verification = verification
        self.minimumVersion = minimumVersion
        self.serverNameOverride = serverNameOverride
    }

    /// Pins the CA certificate(s) in the PEM file at `path`.
    public init(pinnedCAFile path: String, minimumVersion: TLSVersion = .v1_2) throws(TLSError) {
        self.init(verification: .pinnedCA(pem: try readFileForTLS(path, what: "CA file")), minimumVersion: minimumVersion)
    }
}
