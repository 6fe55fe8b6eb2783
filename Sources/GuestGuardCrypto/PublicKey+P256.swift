import COpenSSL

extension PublicKey {
    /// The size of a P-256 affine coordinate (and of a JWK `x`/`y`, RFC 7518 §6.2.1.2).
    public static let p256CoordinateByteCount = 32

    /// Imports a P-256 public key from its affine coordinates (JWK `x` and `y`: exactly 32 bytes
    /// each, big-endian, leading zeros kept). The point must be on the curve, with coordinates
    /// reduced modulo p, and not the point at infinity.
    /// The corresponding C functions are `EVP_PKEY_fromdata` (an uncompressed SEC1 point) and
    /// `EVP_PKEY_public_check`.
    public convenience init(p256X x: [UInt8], y: [UInt8]) throws(CipherError) {
        for coordinate in [x, y] where coordinate.count != Self.p256CoordinateByteCount {
            throw .invalidLength(.ellipticCurveCoordinate, expected: Self.p256CoordinateByteCount, actual: coordinate.count)
        }
        let point: [UInt8] = [0x04] + x + y
        let key: OpaquePointer
        do {
            key = try EVPKey.fromData(type: "EC", selection: guestguard_EVP_PKEY_PUBLIC_KEY) { builder in
                builder.push(OSSL_PKEY_PARAM_GROUP_NAME, utf8: "prime256v1") && builder.push(OSSL_PKEY_PARAM_PUB_KEY, octets: point)
            }
        } catch {
            // The group and encoding are fixed, so a failure here means the point is invalid.
            ERR_clear_error()
            throw .pointNotOnCurve
        }
        self.init(takingOwnershipOf: key)
        try checkPublicKey(failure: .pointNotOnCurve)
    }

    /// The affine coordinates of a P-256 key, 32 bytes each, big-endian, leading zeros kept.
    /// The corresponding C functions are `EVP_PKEY_get_bn_param(OSSL_PKEY_PARAM_EC_PUB_X/Y)` and `BN_bn2binpad`.
    public func p256Coordinates() throws(CipherError) -> (x: [UInt8], y: [UInt8]) {
        guard algorithm.isP256 else { throw .wrongKeyType(expected: "EC P-256", actual: algorithm) }
        do { return try EVPKey.p256Coordinates(handle) } catch { throw .openSSL(error) }
    }

    /// Runs libcrypto's full public-key validation (for EC: on the curve, not infinity, correct
    /// order; for RSA: SP 800-56B §6.4.2.1) and throws `failure` if it does not pass.
    /// The corresponding C function is `EVP_PKEY_public_check`.
    func checkPublicKey(failure: CipherError) throws(CipherError) {
        ERR_clear_error()
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, handle, nil) else {
            throw .openSSL(.drainingQueue(operation: "EVP_PKEY_CTX_new_from_pkey"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_public_check(context) == 1 else {
            ERR_clear_error()
            throw failure
        }
    }
}

extension EVPKey {
    /// The affine coordinates of a P-256 key's public point (private or public key), 32 bytes each,
    /// big-endian, leading zeros kept.
    /// The corresponding C functions are `EVP_PKEY_get_bn_param(OSSL_PKEY_PARAM_EC_PUB_X/Y)` and `BN_bn2binpad`.
    static func p256Coordinates(_ key: OpaquePointer) throws(OpenSSLError) -> (x: [UInt8], y: [UInt8]) {
        (try bigNumberParameter(key, OSSL_PKEY_PARAM_EC_PUB_X, paddedTo: PublicKey.p256CoordinateByteCount),
         try bigNumberParameter(key, OSSL_PKEY_PARAM_EC_PUB_Y, paddedTo: PublicKey.p256CoordinateByteCount))
    }
}
