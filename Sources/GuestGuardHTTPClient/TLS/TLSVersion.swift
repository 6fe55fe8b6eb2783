import COpenSSL

/// The lowest protocol version a context accepts. TLS 1.3 is always preferred when both sides
/// support it; below 1.2 is never offered.
public enum TLSVersion: String, Hashable, Sendable {
    case v1_2 = "TLSv1.2"
    case v1_3 = "TLSv1.3"

    /// The OpenSSL constant (`TLS1_2_VERSION`, `TLS1_3_VERSION`).
    var openSSLValue: Int32 {
        switch self {
        case .v1_2: return TLS1_2_VERSION
        case .v1_3: return TLS1_3_VERSION
        }
    }
}
