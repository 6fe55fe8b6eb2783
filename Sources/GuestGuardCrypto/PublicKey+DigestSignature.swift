import COpenSSL

/// How a signature is padded or encoded, for ``PublicKey/isValidSignature(_:over:hash:scheme:)``.
public enum DigestSignatureScheme: Sendable, Hashable {
    /// ECDSA with raw big-endian r and s of any length up to the curve size (TPMS_SIGNATURE_ECDSA).
    case ecdsa(r: [UInt8], s: [UInt8])
    /// RSASSA-PKCS1-v1_5 with the raw signature (TPMS_SIGNATURE_RSASSA).
    case rsaPKCS1v15([UInt8])
    /// RSASSA-PSS with the raw signature; the salt length is recovered from the signature
    /// (TPMs use either the hash length or the maximum; TPMS_SIGNATURE_RSAPSS).
    case rsaPSS([UInt8])
}

extension PublicKey {
    /// Verifies a signature by this key over `message` hashed with `hash`, for any curve or RSA
    /// size this key has (TPM attestation keys: P-256/SHA-256, RSA-2048). Returns false for a
    /// signature that does not verify; throws if the scheme does not fit the key or libcrypto fails.
    /// The corresponding C functions are `EVP_DigestVerifyInit` and `EVP_DigestVerify`.
    public func isValidSignature(
        over message: some Collection<UInt8>, hash: HashFunction, scheme: DigestSignatureScheme
    ) throws(KeyError) -> Bool {
        let signature: [UInt8]
        switch (scheme, algorithm) {
        case (.ecdsa(let r, let s), .ellipticCurve):
            do { signature = try Self.ecdsaDER(r: r, s: s) } catch { throw .openSSL(error) }
        case (.rsaPKCS1v15(let bytes), .rsa), (.rsaPSS(let bytes), .rsa):
            signature = bytes
        default:
            throw .wrongKeyType(expected: "a key that fits \(scheme)", actual: algorithm)
        }
        ERR_clear_error()
        guard let context = EVP_MD_CTX_new() else { throw .openSSL(.drainingQueue(operation: "EVP_MD_CTX_new")) }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        guard EVP_DigestVerifyInit(context, &keyContext, hash.messageDigest, nil, handle) == 1 else {
            throw .openSSL(.drainingQueue(operation: "EVP_DigestVerifyInit"))
        }
        if case .rsaPSS = scheme {
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_AUTO) == 1
            else { throw .openSSL(.drainingQueue(operation: "EVP_PKEY_CTX_set_rsa_padding(PSS)")) }
        }
        let verify = { (buffer: UnsafeBufferPointer<UInt8>) in
            EVP_DigestVerify(context, signature, signature.count, buffer.baseAddress, buffer.count)
        }
        let rc = message.withContiguousStorageIfAvailable(verify) ?? Array(message).withUnsafeBufferPointer(verify)
        switch rc {
        case 1: return true
        case 0:
            ERR_clear_error()
            return false
        default: throw .openSSL(.drainingQueue(operation: "EVP_DigestVerify"))
        }
    }

    /// `ECDSA-Sig-Value` DER from big-endian r and s of any length.
    /// The corresponding C functions are `ECDSA_SIG_set0` and `i2d_ECDSA_SIG`.
    static func ecdsaDER(r: [UInt8], s: [UInt8]) throws(OpenSSLError) -> [UInt8] {
        guard let signature = ECDSA_SIG_new() else { throw .drainingQueue(operation: "ECDSA_SIG_new") }
        defer { ECDSA_SIG_free(signature) }
        guard let rNumber = BN_bin2bn(r, Int32(r.count), nil) else { throw .drainingQueue(operation: "BN_bin2bn(r)") }
        guard let sNumber = BN_bin2bn(s, Int32(s.count), nil) else {
            BN_free(rNumber)
            throw .drainingQueue(operation: "BN_bin2bn(s)")
        }
        guard ECDSA_SIG_set0(signature, rNumber, sNumber) == 1 else {
            BN_free(rNumber)
            BN_free(sNumber)
            throw .drainingQueue(operation: "ECDSA_SIG_set0")
        }
        return try derEncode(operation: "i2d_ECDSA_SIG") { i2d_ECDSA_SIG(signature, $0) }
    }
}
