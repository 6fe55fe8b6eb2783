/// How ``CertificateBuilder`` signs. AMD uses ``amdRSAPSS``; the other schemes exist so tests
/// can build certificates the verifier must reject.
public enum CertificateSignatureScheme: Sendable, Hashable {
    /// RSASSA-PSS with `hash`, MGF1 over `maskGenerationHash`, and `saltLength` bytes of salt.
    case rsaPSS(hash: HashFunction, maskGenerationHash: HashFunction, saltLength: Int)
    /// RSASSA-PKCS1-v1_5 with `hash`.
    case rsaPKCS1v15(hash: HashFunction)

    /// RSASSA-PSS / SHA-384 / MGF1-SHA-384 / salt 48: every AMD SEV-SNP certificate.
    public static let amdRSAPSS = CertificateSignatureScheme.rsaPSS(
        hash: .sha384, maskGenerationHash: .sha384, saltLength: 48)
}
