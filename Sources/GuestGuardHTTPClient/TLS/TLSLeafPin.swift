import GuestGuardCrypto
import SNPABI

/// A pinned server certificate: the SHA-256 of its DER encoding, or of its SubjectPublicKeyInfo
/// (which survives re-issuance with the same key). Compute one with
/// `openssl x509 -outform DER | openssl dgst -sha256` or
/// `openssl x509 -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256`.
public struct TLSLeafPin: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// SHA-256 over the certificate's DER encoding.
        case certificate
        /// SHA-256 over the DER SubjectPublicKeyInfo of the certificate's key.
        case subjectPublicKeyInfo
    }

    public let kind: Kind
    /// The 32-byte digest.
    public let sha256: [UInt8]

    /// Fails unless `sha256` is exactly 32 bytes.
    public init(kind: Kind, sha256: [UInt8]) throws(TLSError) {
        guard sha256.count == 32 else {
            throw .invalidConfiguration(what: "\(kind.rawValue) pin (\(sha256.count) bytes, want 32)", openSSL: nil)
        }
        self.kind = kind
        self.sha256 = sha256
    }

    /// Parses 64 hex digits; colons (as `openssl x509 -fingerprint` prints them) are ignored.
    public init(kind: Kind, hex: String) throws(TLSError) {
        guard let bytes = Hex.decode(hex.filter { $0 != ":" }) else {
            throw .invalidConfiguration(what: "\(kind.rawValue) pin (not hex: \(hex))", openSSL: nil)
        }
        try self.init(kind: kind, sha256: bytes)
    }

    public var description: String { "\(kind.rawValue) sha256 \(Hex.encode(sha256))" }
}

/// What a leaf pin compares: SHA-256 of the certificate's DER and of its SubjectPublicKeyInfo,
/// computed by GuestGuardCrypto from a copy of the peer's certificate.
struct LeafDigests: Hashable {
    let certificateSHA256: [UInt8]
    let publicKeySHA256: [UInt8]

    /// Nil when the certificate cannot be re-encoded or parsed (the handshake then fails).
    init?(_ x509: OpaquePointer) {
        guard let certificate = try? X509Certificate(copying: x509), let spki = try? certificate.subjectPublicKeyInfoSHA256() else { return nil }
        certificateSHA256 = certificate.sha256Fingerprint
        publicKeySHA256 = spki
    }

    func matches(_ pin: TLSLeafPin) -> Bool {
        switch pin.kind {
        case .certificate: return pin.sha256 == certificateSHA256
        case .subjectPublicKeyInfo: return pin.sha256 == publicKeySHA256
        }
    }
}
