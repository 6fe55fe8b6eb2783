import COpenSSL

/// An owned EC P-256 private key: the guest's ephemeral `tee-pubkey` and the broker's per-response
/// ephemeral key for JWE `ECDH-ES+A256KW` (RFC 7518 §4.6).
public final class P256PrivateKey: @unchecked Sendable {
    /// The size of the private scalar and of the ECDH shared secret Z.
    public static let scalarByteCount = 32
    public static let sharedSecretByteCount = 32

    let handle: OpaquePointer

    private init(takingOwnershipOf handle: OpaquePointer) {
        self.handle = handle
    }

    /// Generates a fresh P-256 key.
    /// The corresponding C functions are `EVP_PKEY_CTX_set_group_name` and `EVP_PKEY_generate`.
    public convenience init() throws(KeyError) {
        do {
            self.init(takingOwnershipOf: try EVPKey.generate(algorithm: "EC") { EVP_PKEY_CTX_set_group_name($0, "P-256") })
        } catch {
            throw .openSSL(error)
        }
    }

    /// Imports the raw private scalar d (32 bytes, big-endian; 1 ≤ d < n) and computes the public
    /// point d·G. The number holding d is allocated as secure and cleared when freed.
    /// The corresponding C functions are `EC_POINT_mul` and `EVP_PKEY_fromdata`.
    public convenience init(rawScalar scalar: UnsafeRawBufferPointer) throws(CipherError) {
        guard scalar.count == Self.scalarByteCount else {
            throw .invalidLength(.ellipticCurveScalar, expected: Self.scalarByteCount, actual: scalar.count)
        }
        ERR_clear_error()
        guard let group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1) else {
            throw .openSSL(.drainingQueue(operation: "EC_GROUP_new_by_curve_name(P-256)"))
        }
        defer { EC_GROUP_free(group) }
        guard let d = BN_secure_new() else { throw .openSSL(.drainingQueue(operation: "BN_secure_new")) }
        defer { BN_clear_free(d) }
        guard BN_bin2bn(scalar.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(scalar.count), d) != nil else {
            throw .openSSL(.drainingQueue(operation: "BN_bin2bn"))
        }
        guard BN_is_zero(d) == 0, BN_cmp(d, EC_GROUP_get0_order(group)) < 0 else { throw .scalarOutOfRange }
        guard let point = EC_POINT_new(group) else { throw .openSSL(.drainingQueue(operation: "EC_POINT_new")) }
        defer { EC_POINT_free(point) }
        var encoded = [UInt8](repeating: 0, count: 1 + 2 * PublicKey.p256CoordinateByteCount)
        guard EC_POINT_mul(group, point, d, nil, nil, nil) == 1,
            EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, &encoded, encoded.count, nil) == encoded.count
        else { throw .openSSL(.drainingQueue(operation: "EC_POINT_mul")) }
        do throws(OpenSSLError) {
            self.init(
                takingOwnershipOf: try EVPKey.fromData(type: "EC", selection: guestguard_EVP_PKEY_KEYPAIR) { builder in
                    builder.push(OSSL_PKEY_PARAM_GROUP_NAME, utf8: "prime256v1") && builder.push(OSSL_PKEY_PARAM_PRIV_KEY, number: d)
                        && builder.push(OSSL_PKEY_PARAM_PUB_KEY, octets: encoded)
                })
        } catch {
            throw .openSSL(error)
        }
    }

    /// Imports an unencrypted PKCS #8 PEM; the key must be P-256.
    public convenience init(pkcs8PEM text: String) throws(KeyError) {
        self.init(takingOwnershipOf: try EVPKey.parsePKCS8PEM(text, expected: "EC P-256", accepts: \.isP256))
    }

    deinit { EVP_PKEY_free(handle) }

    /// Unencrypted PKCS #8 PEM. This is secret material: never log it.
    public func pkcs8PEM() throws(KeyError) -> String {
        do { return try EVPKey.pkcs8PEM(handle) } catch { throw .openSSL(error) }
    }

    /// The public half.
    public func publicKey() throws(KeyError) -> PublicKey {
        try EVPKey.publicHalf(of: handle)
    }

    /// The affine coordinates of the public point d·G (JWK `x` and `y`: 32 bytes each,
    /// big-endian, leading zeros kept), read from this key without the SubjectPublicKeyInfo round
    /// trip of ``publicKey()`` (whose `d2i_PUBKEY` runs libcrypto's decoder lookup: a JWE's `epk`
    /// cost more than the ECDH itself).
    /// The corresponding C functions are `EVP_PKEY_get_bn_param(OSSL_PKEY_PARAM_EC_PUB_X/Y)` and `BN_bn2binpad`.
    public func publicCoordinates() throws(KeyError) -> (x: [UInt8], y: [UInt8]) {
        do { return try EVPKey.p256Coordinates(handle) } catch { throw .openSSL(error) }
    }

    /// ECDH with `peer` (which must be P-256; libcrypto validates it again): writes Z, the
    /// 32-byte x-coordinate of d·Q (SEC 1 §3.3.1), into `output`.
    /// The corresponding C functions are `EVP_PKEY_derive_set_peer_ex` (with validation) and
    /// `EVP_PKEY_derive`.
    public func deriveSharedSecret(with peer: PublicKey, into output: UnsafeMutableRawBufferPointer) throws(CipherError) {
        guard peer.algorithm.isP256 else { throw .wrongKeyType(expected: "EC P-256", actual: peer.algorithm) }
        guard output.count == Self.sharedSecretByteCount else {
            throw .invalidLength(.output, expected: Self.sharedSecretByteCount, actual: output.count)
        }
        ERR_clear_error()
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, handle, nil) else {
            throw .openSSL(.drainingQueue(operation: "EVP_PKEY_CTX_new_from_pkey"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_derive_init(context) == 1 else { throw .openSSL(.drainingQueue(operation: "EVP_PKEY_derive_init")) }
        guard EVP_PKEY_derive_set_peer_ex(context, peer.handle, 1) == 1 else {
            ERR_clear_error()
            throw .pointNotOnCurve
        }
        var length = output.count
        guard EVP_PKEY_derive(context, output.baseAddress?.assumingMemoryBound(to: UInt8.self), &length) == 1,
            length == Self.sharedSecretByteCount
        else {
            cleanse(output)
            throw .openSSL(.drainingQueue(operation: "EVP_PKEY_derive"))
        }
    }
}
