import GuestGuardCrypto

/// RSA keys are slow to generate (~1 s for 4096 bits), so tests share a few, made on first use.
enum TestKeys {
    private static let rsa4096 = Result { () throws(KeyError) -> RSAPrivateKey in try RSAPrivateKey(bits: 4096) }
    private static let rsa2048 = Result { () throws(KeyError) -> RSAPrivateKey in try RSAPrivateKey(bits: 2048) }

    /// A shared RSA-4096 key, as AMD's ARK/ASK use.
    static func rsaAMDSize() throws -> RSAPrivateKey { try rsa4096.get() }
    /// A shared RSA-2048 key for tests where the size does not matter.
    static func rsaSmall() throws -> RSAPrivateKey { try rsa2048.get() }

    /// A certificate for `subjectKey`, valid 2020–2045, signed by `signer` under `scheme`.
    static func certificate(
        commonName: String, subjectKey: PublicKey, issuer: String? = nil, signer: RSAPrivateKey,
        scheme: CertificateSignatureScheme = .amdRSAPSS, extensions: [X509Extension] = []
    ) throws -> X509Certificate {
        var builder = CertificateBuilder(
            subject: .commonName(commonName), subjectPublicKey: subjectKey, notBefore: 1_577_836_800, notAfter: 2_366_755_200)
        builder.issuer = issuer.map(X509Name.commonName)
        builder.extensions = extensions
        return try builder.sign(with: signer, scheme: scheme)
    }
}
