import COpenSSL

/// P-256 point arithmetic on libcrypto's `EC_GROUP`/`EC_POINT` layer, for JWE `ECDH-ES+A256KW`
/// (``P256PrivateKey``, ``P256PublicPoint``) without the OpenSSL 3 `EVP_PKEY` machinery: an
/// `EVP_PKEY_fromdata`, a keygen or a derive context each fetch providers and build parameter
/// lists, and cost several times the scalar multiplication itself (docs/broker.md, handshake cost).
///
/// The multiplications are the ones libcrypto's own EC key generation and ECDH perform
/// (`ossl_ec_key_simple_generate_key`: `BN_priv_rand_range_ex` and `EC_POINT_mul(group, Q, d,
/// NULL, NULL)`; `ecdh_simple_compute_key`: `EC_POINT_mul(group, R, NULL, Q, d)` with
/// `BN_FLG_CONSTTIME` on d), on the same group (x86-64: the constant-time `ecp_nistz256` code).
enum P256Curve {
    /// The byte length of a coordinate and of the scalar.
    static let fieldByteCount = 32

    /// One group for the process. libcrypto only reads a group passed as `const EC_GROUP *`
    /// (every call below), so threads share it; it is never freed.
    /// The corresponding C function is `EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1)`.
    nonisolated(unsafe) private static let sharedGroup: OpaquePointer? = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1)

    static func group() throws(CipherError) -> OpaquePointer {
        guard let group = sharedGroup else { throw .openSSL(.drainingQueue(operation: "EC_GROUP_new_by_curve_name(P-256)")) }
        return group
    }

    /// The point with affine coordinates `x`, `y` (32 bytes each, big-endian), which must be on the
    /// curve with both coordinates below p; the caller frees it with `EC_POINT_free`.
    ///
    /// This is full public-key validation (SP 800-56A rev. 3 §5.6.2.3.3): the point at infinity
    /// has no affine coordinates; `EC_POINT_oct2point` refuses a coordinate ≥ p and a point off the
    /// curve (`EC_POINT_set_affine_coordinates`), and `EC_POINT_is_on_curve` is asked again here.
    /// P-256's cofactor is 1, so every other point of the curve has order n: the n·Q = O step,
    /// which `EVP_PKEY_public_check` spends a scalar multiplication on, cannot fail.
    /// The corresponding C functions are `EC_POINT_oct2point` and `EC_POINT_is_on_curve`.
    static func point(x: [UInt8], y: [UInt8]) throws(CipherError) -> OpaquePointer {
        for coordinate in [x, y] where coordinate.count != fieldByteCount {
            throw .invalidLength(.ellipticCurveCoordinate, expected: fieldByteCount, actual: coordinate.count)
        }
        let group = try group()
        ERR_clear_error()
        guard let point = EC_POINT_new(group) else { throw .openSSL(.drainingQueue(operation: "EC_POINT_new")) }
        let encoded: [UInt8] = [0x04] + x + y   // SEC 1 §2.3.3 uncompressed
        guard EC_POINT_oct2point(group, point, encoded, encoded.count, nil) == 1,
            EC_POINT_is_at_infinity(group, point) == 0, EC_POINT_is_on_curve(group, point, nil) == 1
        else {
            EC_POINT_free(point)
            ERR_clear_error()
            throw .pointNotOnCurve
        }
        return point
    }

    /// A fresh scalar d, uniform in [1, n-1], in a secure big number with `BN_FLG_CONSTTIME`
    /// (as libcrypto's EC key generation draws it); the caller frees it with `BN_clear_free`.
    /// The corresponding C function is `BN_priv_rand_range_ex`.
    static func randomScalar() throws(CipherError) -> OpaquePointer {
        let group = try group()
        ERR_clear_error()
        guard let d = BN_secure_new() else { throw .openSSL(.drainingQueue(operation: "BN_secure_new")) }
        BN_set_flags(d, BN_FLG_CONSTTIME)
        repeat {
            guard BN_priv_rand_range_ex(d, EC_GROUP_get0_order(group), 0, nil) == 1 else {
                BN_clear_free(d)
                throw .openSSL(.drainingQueue(operation: "BN_priv_rand_range_ex"))
            }
        } while BN_is_zero(d) == 1
        return d
    }

    /// The scalar in `bytes` (32 bytes, big-endian) if 1 ≤ d < n, in a secure big number with
    /// `BN_FLG_CONSTTIME`; the caller frees it with `BN_clear_free`.
    /// The corresponding C functions are `BN_bin2bn` and `BN_cmp`.
    static func scalar(_ bytes: UnsafeRawBufferPointer) throws(CipherError) -> OpaquePointer {
        guard bytes.count == fieldByteCount else {
            throw .invalidLength(.ellipticCurveScalar, expected: fieldByteCount, actual: bytes.count)
        }
        let group = try group()
        ERR_clear_error()
        guard let d = BN_secure_new() else { throw .openSSL(.drainingQueue(operation: "BN_secure_new")) }
        BN_set_flags(d, BN_FLG_CONSTTIME)
        guard BN_bin2bn(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(bytes.count), d) != nil else {
            BN_clear_free(d)
            throw .openSSL(.drainingQueue(operation: "BN_bin2bn"))
        }
        guard BN_is_zero(d) == 0, BN_cmp(d, EC_GROUP_get0_order(group)) < 0 else {
            BN_clear_free(d)
            throw .scalarOutOfRange
        }
        return d
    }

    /// The public point d·G as affine coordinates (32 bytes each, leading zeros kept).
    /// The corresponding C functions are `EC_POINT_mul` and `EC_POINT_get_affine_coordinates`.
    static func publicCoordinates(of d: OpaquePointer) throws(CipherError) -> (x: [UInt8], y: [UInt8]) {
        let group = try group()
        ERR_clear_error()
        guard let point = EC_POINT_new(group) else { throw .openSSL(.drainingQueue(operation: "EC_POINT_new")) }
        defer { EC_POINT_free(point) }
        guard EC_POINT_mul(group, point, d, nil, nil, nil) == 1 else { throw .openSSL(.drainingQueue(operation: "EC_POINT_mul(d·G)")) }
        var x = [UInt8](repeating: 0, count: fieldByteCount), y = x
        try affineCoordinates(of: point, group: group) { (bx, by) throws(CipherError) in
            guard BN_bn2binpad(bx, &x, Int32(fieldByteCount)) == fieldByteCount, BN_bn2binpad(by, &y, Int32(fieldByteCount)) == fieldByteCount
            else { throw .openSSL(.drainingQueue(operation: "BN_bn2binpad")) }
        }
        return (x, y)
    }

    /// ECDH (SEC 1 §3.3.1): writes Z, the x-coordinate of d·Q (32 bytes), into `output`.
    /// The corresponding C functions are `EC_POINT_mul` and `EC_POINT_get_affine_coordinates`.
    static func sharedSecret(scalar d: OpaquePointer, peer: OpaquePointer, into output: UnsafeMutableRawBufferPointer) throws(CipherError) {
        guard output.count == fieldByteCount else { throw .invalidLength(.output, expected: fieldByteCount, actual: output.count) }
        let group = try group()
        ERR_clear_error()
        guard let product = EC_POINT_new(group) else { throw .openSSL(.drainingQueue(operation: "EC_POINT_new")) }
        defer { EC_POINT_clear_free(product) }
        guard EC_POINT_mul(group, product, nil, peer, d, nil) == 1, EC_POINT_is_at_infinity(group, product) == 0 else {
            throw .openSSL(.drainingQueue(operation: "EC_POINT_mul(d·Q)"))
        }
        try affineCoordinates(of: product, group: group) { (x, _) throws(CipherError) in
            guard BN_bn2binpad(x, output.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(fieldByteCount)) == fieldByteCount else {
                cleanse(output)
                throw .openSSL(.drainingQueue(operation: "BN_bn2binpad(Z)"))
            }
        }
    }

    /// Hands `body` the affine coordinates of `point` in secure big numbers, cleared afterwards.
    private static func affineCoordinates(
        of point: OpaquePointer, group: OpaquePointer, _ body: (OpaquePointer, OpaquePointer) throws(CipherError) -> Void
    ) throws(CipherError) {
        guard let x = BN_secure_new() else { throw .openSSL(.drainingQueue(operation: "BN_secure_new")) }
        defer { BN_clear_free(x) }
        guard let y = BN_secure_new() else { throw .openSSL(.drainingQueue(operation: "BN_secure_new")) }
        defer { BN_clear_free(y) }
        guard EC_POINT_get_affine_coordinates(group, point, x, y, nil) == 1 else {
            throw .openSSL(.drainingQueue(operation: "EC_POINT_get_affine_coordinates"))
        }
        try body(x, y)
    }
}
