import GuestGuardHTTP

/// TLS settings for talking to a key broker: a pinned CA file, or a pinned SHA-256 of the
/// broker's public key (or certificate). The system trust store is never used.
enum BrokerTLS {
    /// `caFile` wins over `pin`; a pin may carry a `spki-sha256:` or `certificate-sha256:` prefix
    /// (the LUKS2 token's spelling); a bare hex pin is an SPKI pin. Nil when neither is given.
    static func configuration(caFile: String?, caPEM: String? = nil, pin: String?) throws -> TLSClientConfiguration? {
        if let caFile { return try TLSClientConfiguration(pinnedCAFile: CLIFiles.absolute(caFile)) }
        if let pin {
            let kind: TLSLeafPin.Kind = pin.hasPrefix("certificate-sha256:") ? .certificate : .subjectPublicKeyInfo
            let hex = pin.contains(":") ? String(pin.drop(while: { $0 != ":" }).dropFirst()) : pin
            return TLSClientConfiguration(verification: .pinnedLeaf([try TLSLeafPin(kind: kind, hex: hex)]))
        }
        if let caPEM { return TLSClientConfiguration(verification: .pinnedCA(pem: Array(caPEM.utf8))) }
        return nil
    }
}
