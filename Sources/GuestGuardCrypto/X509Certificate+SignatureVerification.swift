import COpenSSL

extension X509Certificate {
    /// The AMD SEV-SNP certificate signature profile (ARK, ASK, ASVK, VCEK and VLEK all use it).
    public static let amdSignatureSaltLength: UInt64 = 48

    /// Checks that signatureAlgorithm is exactly RSASSA-PSS / SHA-384 / MGF1-SHA-384 / salt 48 /
    /// trailer 1 and identical to the TBS copy, without verifying the signature itself.
    public func checkAMDSignatureAlgorithm() throws(CertificateSignatureError) {
        let encoded: (outer: [UInt8], tbs: [UInt8])
        do { encoded = try signatureAlgorithmDER() } catch { throw .openSSL(error) }
        try Self.checkAMDSignatureAlgorithm(outer: encoded.outer, tbs: encoded.tbs)
    }

    /// The AMD profile check on the DER of a signed object's outer signatureAlgorithm and its
    /// signed copy (certificates and AMD's CRL share it).
    static func checkAMDSignatureAlgorithm(outer: [UInt8], tbs: [UInt8]) throws(CertificateSignatureError) {
        guard outer == tbs else { throw .algorithmFieldsDiffer }
        let algorithm: CertificateSignatureAlgorithm
        do { algorithm = try CertificateSignatureAlgorithm(algorithmIdentifierDER: outer) } catch {
            throw .malformedAlgorithm(error)
        }
        guard let pss = algorithm.rsaPSSParameters else { throw .notRSASSAPSS(objectIdentifier: algorithm.objectIdentifier) }
        guard pss.hashAlgorithm == KnownOID.sha384 else { throw .hashNotSHA384(objectIdentifier: pss.hashAlgorithm) }
        guard pss.maskGenerationAlgorithm == KnownOID.mgf1 else {
            throw .maskGenerationNotMGF1(objectIdentifier: pss.maskGenerationAlgorithm)
        }
        guard pss.maskGenerationHash == KnownOID.sha384 else {
            throw .maskGenerationHashNotSHA384(objectIdentifier: pss.maskGenerationHash)
        }
        guard pss.saltLength == Self.amdSignatureSaltLength else { throw .saltLength(pss.saltLength) }
        guard pss.trailerField == 1 else { throw .trailerField(pss.trailerField) }
    }

    /// Verifies this certificate's signature over its TBS bytes with `issuerKey`, after enforcing
    /// the AMD profile (``checkAMDSignatureAlgorithm()``). OpenSSL takes the PSS parameters from
    /// the certificate, which the profile check has pinned.
    /// The corresponding C function is `X509_verify`.
    public func verifyAMDSignature(issuerKey: PublicKey) throws(CertificateSignatureError) {
        try checkAMDSignatureAlgorithm()
        guard case .rsa = issuerKey.algorithm else { throw .issuerKeyNotRSA(issuerKey.algorithm) }
        ERR_clear_error()
        guard X509_verify(handle, issuerKey.handle) == 1 else {
            throw .signatureInvalid(.drainingQueue(operation: "X509_verify"))
        }
    }
}
