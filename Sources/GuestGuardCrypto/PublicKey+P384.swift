import COpenSSL

extension PublicKey {
    /// The size of a P-384 affine coordinate, of r and s, and of a SHA-384 digest.
    public static let p384CoordinateByteCount = 48

    /// The affine coordinates of a P-384 key (a VCEK/VLEK), 48 bytes each, big-endian, leading zeros kept: what
    /// nettle's `ecc_point_set` takes (P384ECDSA, the report-signature verifier).
    /// The corresponding C functions are `EVP_PKEY_get_bn_param(OSSL_PKEY_PARAM_EC_PUB_X/Y)` and `BN_bn2binpad`.
    public func p384Coordinates() throws(KeyError) -> (x: [UInt8], y: [UInt8]) {
        guard algorithm.isP384 else { throw .wrongKeyType(expected: "EC P-384", actual: algorithm) }
        do {
            return (try EVPKey.bigNumberParameter(handle, OSSL_PKEY_PARAM_EC_PUB_X, paddedTo: Self.p384CoordinateByteCount),
                    try EVPKey.bigNumberParameter(handle, OSSL_PKEY_PARAM_EC_PUB_Y, paddedTo: Self.p384CoordinateByteCount))
        } catch {
            throw .openSSL(error)
        }
    }

    /// Verifies an ECDSA signature by this EC key over an already computed `digest` (no hashing here; OpenSSL
    /// truncates the digest to the group order's bit length, as ECDSA specifies). Returns false for a signature
    /// that does not verify, r or s outside 1 ..< n included. libcrypto's P-384 verify is the differential peer of
    /// nettle's (P384ECDSA) in tests and fuzzing; production reports go through P384ECDSA.
    /// The corresponding C functions are `EVP_PKEY_verify_init` and `EVP_PKEY_verify`.
    public func isValidECDSASignature(_ signature: ECDSASignature, overDigest digest: [UInt8]) throws(KeyError) -> Bool {
        guard case .ellipticCurve = algorithm else { throw .wrongKeyType(expected: "EC", actual: algorithm) }
        let der: [UInt8]
        do { der = try signature.derEncoded() } catch { throw .openSSL(error) }
        ERR_clear_error()
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, handle, nil) else {
            throw .openSSL(.drainingQueue(operation: "EVP_PKEY_CTX_new_from_pkey"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_verify_init(context) == 1 else { throw .openSSL(.drainingQueue(operation: "EVP_PKEY_verify_init")) }
        switch EVP_PKEY_verify(context, der, der.count, digest, digest.count) {
        case 1: return true
        case 0:
            ERR_clear_error()
            return false
        default: throw .openSSL(.drainingQueue(operation: "EVP_PKEY_verify"))
        }
    }
}
