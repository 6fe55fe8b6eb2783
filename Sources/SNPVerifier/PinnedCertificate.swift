import GuestGuardCrypto

/// A certificate embedded in the source as PEM together with the SHA-256 of its DER. Loading
/// checks the fingerprint; a mismatch is fatal for the trust store (``TrustStoreError``).
public struct PinnedCertificate: Sendable, Hashable {
    /// The expected common name, used in errors (`ARK-Milan`).
    public let name: String
    /// Lower-case hex SHA-256 of the DER.
    public let sha256: String
    /// One `CERTIFICATE` PEM block.
    public let pem: String

    public init(name: String, sha256: String, pem: String) {
        self.name = name
        self.sha256 = sha256
        self.pem = pem
    }

    /// Parses the PEM and checks the pinned fingerprint.
    public func load() throws(TrustStoreError) -> X509Certificate {
        let certificate: X509Certificate
        do { certificate = try X509Certificate(pemEncoded: pem) } catch { throw .malformedCertificate(name: name, error) }
        let actual = certificate.sha256Fingerprint.hexString
        guard actual == sha256.lowercased() else { throw .fingerprintMismatch(name: name, expected: sha256, actual: actual) }
        return certificate
    }
}
