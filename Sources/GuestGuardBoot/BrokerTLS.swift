import GuestGuardCore
import GuestGuardHTTPClient

/// TLS settings for talking to a key broker (or a posture endpoint): a pinned CA file, or a pinned
/// SHA-256 of the server's public key (or certificate). The system trust store is never used.
public enum BrokerTLS {
    /// `caFile` wins over `pin`; a pin may carry a `spki-sha256:` or `certificate-sha256:` prefix;
    /// a bare hex pin is an SPKI pin. Nil when neither is given.
    public static func configuration(caFile: String?, pin: String?) throws -> TLSClientConfiguration? {
        if let caFile { return try TLSClientConfiguration(pinnedCAFile: CLIFiles.absolute(caFile)) }
        if let pin {
            let kind: TLSLeafPin.Kind = pin.hasPrefix("certificate-sha256:") ? .certificate : .subjectPublicKeyInfo
            let hex = pin.contains(":") ? String(pin.drop(while: { $0 != ":" }).dropFirst()) : pin
            return TLSClientConfiguration(verification: .pinnedLeaf([try TLSLeafPin(kind: kind, hex: hex)]))
        }
        return nil
    }

    /// The client side of a ``BrokerTrust``: nil only for the test-only plain http list (and then the
    /// HTTP client refuses https URLs, while a client with TLS refuses http ones).
    public static func configuration(_ trust: BrokerTrust) throws -> TLSClientConfiguration? {
        switch trust.authentication {
        case .pin(let pin): return try configuration(caFile: nil, pin: pin)
        case .caFile(let path): return try configuration(caFile: path, pin: nil)
        case .plainHTTPTestOnly: return nil
        }
    }
}
