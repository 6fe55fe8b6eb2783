import CanonicalJSON

/// The paths of the posture API, shared by the daemon's router and its clients.
public enum PostureEndpointPaths {
    public static let health = "/healthz"
    public static let posture = "/v1/posture"
    public static let attestation = "/v1/attestation"
    public static let metrics = "/metrics"

    /// `BASE/v1/attestation?nonce=B64URL` for a base URL path (`/` or a reverse proxy's prefix).
    public static func attestation(base: String, nonce: [UInt8]) -> String {
        let prefix = base.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let trimmed = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        return trimmed + attestation + "?nonce=" + Base64URL.encode(nonce)
    }
}
