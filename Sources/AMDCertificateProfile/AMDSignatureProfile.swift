import GuestGuardCrypto

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
    /// The corresponding C function is `X509_verify` (through GuestGuardCrypto).
    public func verifyAMDSignature(issuerKey: PublicKey) throws(CertificateSignatureError) {
        try checkAMDSignatureAlgorithm()
        guard case .rsa = issuerKey.algorithm else { throw .issuerKeyNotRSA(issuerKey.algorithm) }
        do { try verifySignature(issuerKey: issuerKey) } catch { throw .signatureInvalid(error) }
    }
}

/// Why a certificate's signature was not accepted under the AMD profile
/// (RSASSA-PSS, SHA-384, MGF1-SHA-384, salt 48, trailer 1).
public enum CertificateSignatureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The outer signatureAlgorithm differs from the TBS `signature` field.
    case algorithmFieldsDiffer
    /// signatureAlgorithm could not be encoded or decoded.
    case malformedAlgorithm(DERError)
    /// signatureAlgorithm is not id-RSASSA-PSS.
    case notRSASSAPSS(objectIdentifier: String)
    /// PSS hashAlgorithm is not SHA-384.
    case hashNotSHA384(objectIdentifier: String)
    /// PSS maskGenAlgorithm is not MGF1.
    case maskGenerationNotMGF1(objectIdentifier: String)
    /// MGF1's hash is not SHA-384.
    case maskGenerationHashNotSHA384(objectIdentifier: String)
    /// PSS saltLength is not 48.
    case saltLength(UInt64)
    /// PSS trailerField is not 1.
    case trailerField(UInt64)
    /// The issuer's key is not RSA.
    case issuerKeyNotRSA(PublicKeyAlgorithm)
    /// The issuer's key could not be extracted.
    case issuerKeyUnusable(KeyError)
    /// The signature does not verify under the issuer's key.
    case signatureInvalid(OpenSSLError)
    /// OpenSSL failed for another reason.
    case openSSL(OpenSSLError)

    public var description: String {
        switch self {
        case .algorithmFieldsDiffer: "signatureAlgorithm differs from tbsCertificate.signature"
        case .malformedAlgorithm(let error): "signatureAlgorithm is malformed: \(error)"
        case .notRSASSAPSS(let oid): "signatureAlgorithm is \(oid), not RSASSA-PSS (\(KnownOID.rsassaPSS))"
        case .hashNotSHA384(let oid): "RSASSA-PSS hash is \(oid), not SHA-384"
        case .maskGenerationNotMGF1(let oid): "RSASSA-PSS mask generation is \(oid), not MGF1"
        case .maskGenerationHashNotSHA384(let oid): "RSASSA-PSS MGF1 hash is \(oid), not SHA-384"
        case .saltLength(let length): "RSASSA-PSS salt length is \(length), not 48"
        case .trailerField(let value): "RSASSA-PSS trailer field is \(value), not 1"
        case .issuerKeyNotRSA(let algorithm): "issuer key is \(algorithm), not RSA"
        case .issuerKeyUnusable(let error): "issuer key is unusable: \(error)"
        case .signatureInvalid(let error): "signature does not verify under the issuer key (\(error))"
        case .openSSL(let error): "\(error)"
        }
    }
}
