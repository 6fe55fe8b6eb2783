import AMDCertificateProfile
import GuestGuardCrypto

/// DER CRLs through `X509RevocationList`: AMD's CRL arrives from KDS or a tenant's mirror
/// (docs/broker-kds.md) before anything has checked it. Parsing must not trap, a parsed list's
/// accessors and checks must not trap, and `derBytes` must be the input.
enum CRLTarget {
    static let target = FuzzTarget(name: "crl", summary: "DER CRLs (AMD KDS /crl) through the GuestGuardCrypto CRL wrapper") { input in
        guard let list = try? X509RevocationList(derEncoded: input) else { return }
        fuzzCheck(list.derBytes == input, "derBytes differ from the input")
        _ = list.issuer.description
        _ = list.isCurrent(at: 1_700_000_000)
        _ = list.version.description
        fuzzCheck(!list.version.isOlder(than: list.version), "a list is older than itself")
        if let issuer = issuer {
            _ = list.isIssued(by: issuer)
            _ = list.revokes(issuer)
            if let key = try? issuer.publicKey() { _ = try? list.verifyAMDSignature(issuerKey: key) }
        }
    }

    /// A self-signed `ARK-Milan` made once per run, to check the list against.
    static let issuer: X509Certificate? = {
        guard let key = try? RSAPrivateKey(bits: 2048), let publicKey = try? key.publicKey() else { return nil }
        var builder = CertificateBuilder(subject: .commonName("ARK-Milan"), subjectPublicKey: publicKey, notBefore: 0, notAfter: 4_000_000_000)
        builder.serialNumber = [1]
        return try? builder.sign(with: key)
    }()
}
