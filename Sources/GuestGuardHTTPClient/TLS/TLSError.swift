import GuestGuardCrypto

/// Why TLS setup, a handshake or a TLS connection failed. Every case names the reason; OpenSSL's
/// own words are kept in an `OpenSSLError` (GuestGuardCrypto's, the one OpenSSL wrapper).
public enum TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A setting or file could not be used; `what` names which, `openSSL` is libssl's queue when
    /// libssl refused it (nil for our own checks: a missing file, no pins).
    case invalidConfiguration(what: String, openSSL: OpenSSLError?)
    /// A certificate or CA bundle could not be parsed; `what` names which.
    case invalidCertificate(what: String, X509Error)
    /// The private key could not be read (not PEM, encrypted, unsupported).
    case invalidPrivateKey(KeyError)
    /// The peer's chain did not verify to the pinned CA, or did not match the host name.
    /// `code` is OpenSSL's `X509_V_ERR_*` value (62 is hostname mismatch, 20 unable to get local
    /// issuer), `reason` its text from `X509_verify_cert_error_string`.
    case certificateVerificationFailed(code: Int32, reason: String)
    /// The peer's leaf certificate matched none of the pins. The observed SHA-256 digests (hex)
    /// of its DER and of its SubjectPublicKeyInfo are given, to compare with the configuration.
    case leafPinMismatch(certificateSHA256: String, publicKeySHA256: String)
    /// The peer presented no certificate at all.
    case noPeerCertificate
    /// The handshake failed for another reason: version, cipher, an alert from the peer.
    case handshakeFailed(OpenSSLError)
    /// A TLS failure after the handshake (bad record MAC, unexpected message, …).
    case protocolError(OpenSSLError)
    /// The peer closed the connection before the handshake finished.
    case closedDuringHandshake
    /// The peer closed the connection without a close_notify alert; data may be truncated.
    case uncleanShutdown

    public var description: String {
        switch self {
        case .invalidConfiguration(let what, let queue): return "cannot load \(what)" + (queue.map { ": \($0)" } ?? "")
        case .invalidCertificate(let what, let error): return "cannot load \(what): \(error)"
        case .invalidPrivateKey(let error): return "cannot load private key: \(error)"
        case .certificateVerificationFailed(let code, let reason):
            return "certificate verification failed: \(reason) (X509_V_ERR \(code))"
        case .leafPinMismatch(let certificate, let publicKey):
            return "server certificate matches no pin (certificate sha256 \(certificate), public key sha256 \(publicKey))"
        case .noPeerCertificate: return "the peer presented no certificate"
        case .handshakeFailed(let queue): return "TLS handshake failed: \(queue)"
        case .protocolError(let queue): return "TLS protocol error: \(queue)"
        case .closedDuringHandshake: return "connection closed during the TLS handshake"
        case .uncleanShutdown: return "connection closed without TLS close_notify"
        }
    }
}

extension TLSError {
    /// The peer is not who the pins say (wrong key, wrong chain, no certificate): not a network hiccup.
    public var isAuthenticationFailure: Bool {
        switch self {
        case .certificateVerificationFailed, .leafPinMismatch, .noPeerCertificate: return true
        default: return false
        }
    }
}
