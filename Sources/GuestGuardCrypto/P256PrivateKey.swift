import COpenSSL

/// An owned EC P-256 private key: the guest's ephemeral `tee-pubkey` and the broker's per-response
/// ephemeral key for JWE `ECDH-ES+A256KW` (RFC 7518 §4.6).
///
/// The scalar d lives in a secure big number (cleared when freed) next to its public point d·G;
/// generation and ECDH run on ``P256Curve`` (libcrypto's `EC_POINT` layer), and an `EVP_PKEY` is
/// built only to export the key (``pkcs8PEM()``, ``publicKey()``).
public final class P256PrivateKey: @unchecked Sendable {
    /// The size of the private scalar and of the ECDH shared secret Z.
    public static let scalarByteCount = 32
    public static let sharedSecretByteCount = 32

    /// The `BIGNUM` d, 1 ≤ d < n, `BN_FLG_CONSTTIME`; only read after init (libcrypto takes it as const).
    private let scalar: OpaquePointer
    /// d·G.
    public let publicPoint: P256PublicPoint

    private init(takingOwnershipOf scalar: OpaquePointer) throws(CipherError) {
        do {
            let (x, y) = try P256Curve.publicCoordinates(of: scalar)
            publicPoint = P256PublicPoint(computedX: x, y: y)
        } catch {
            BN_clear_free(scalar)
            throw error
        }
        self.scalar = scalar
    }

    /// Generates a fresh P-256 key: d uniform in [1, n-1].
    /// The corresponding C functions are `BN_priv_rand_range_ex` and `EC_POINT_mul`.
    public convenience init() throws(KeyError) {
        do { try self.init(takingOwnershipOf: try P256Curve.randomScalar()) } catch { throw KeyError(error) }
    }

    /// Imports the raw private scalar d (32 bytes, big-endian; 1 ≤ d < n) and computes the public
    /// point d·G. The number holding d is allocated as secure and cleared when freed.
    /// The corresponding C functions are `BN_bin2bn` and `EC_POINT_mul`.
    public convenience init(rawScalar scalar: UnsafeRawBufferPointer) throws(CipherError) {
        try self.init(takingOwnershipOf: try P256Curve.scalar(scalar))
    }

    /// Imports an unencrypted PKCS #8 PEM; the key must be P-256. The public point is recomputed
    /// from d (an encoded public key that does not match d is ignored).
    /// The corresponding C functions are `d2i_AutoPrivateKey` and `EVP_PKEY_get_bn_param(OSSL_PKEY_PARAM_PRIV_KEY)`.
    public convenience init(pkcs8PEM text: String) throws(KeyError) {
        let key = try EVPKey.parsePKCS8PEM(text, expected: "EC P-256", accepts: \.isP256)
        defer { EVP_PKEY_free(key) }
        ERR_clear_error()
        var d = BN_secure_new()
        guard d != nil, EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1, let d else {
            BN_clear_free(d)
            throw .openSSL(.drainingQueue(operation: "EVP_PKEY_get_bn_param(priv)"))
        }
        BN_set_flags(d, BN_FLG_CONSTTIME)
        do { try self.init(takingOwnershipOf: d) } catch { throw KeyError(error) }
    }

    deinit { BN_clear_free(scalar) }

    /// Unencrypted PKCS #8 PEM. This is secret material: never log it.
    /// The corresponding C functions are `EVP_PKEY_fromdata` and `PEM_write_bio_PKCS8PrivateKey`.
    public func pkcs8PEM() throws(KeyError) -> String {
        do {
            let key = try EVPKey.fromData(type: "EC", selection: guestguard_EVP_PKEY_KEYPAIR) { builder in
                builder.push(OSSL_PKEY_PARAM_GROUP_NAME, utf8: "prime256v1") && builder.push(OSSL_PKEY_PARAM_PRIV_KEY, number: scalar)
                    && builder.push(OSSL_PKEY_PARAM_PUB_KEY, octets: [0x04] + publicPoint.x + publicPoint.y)
            }
            defer { EVP_PKEY_free(key) }
            return try EVPKey.pkcs8PEM(key)
        } catch {
            throw .openSSL(error)
        }
    }

    /// The public half as an `EVP_PKEY`.
    public func publicKey() throws(KeyError) -> PublicKey {
        do { return try PublicKey(p256X: publicPoint.x, y: publicPoint.y) } catch { throw KeyError(error) }
    }

    /// The affine coordinates of the public point d·G (JWK `x` and `y`: 32 bytes each,
    /// big-endian, leading zeros kept).
    public func publicCoordinates() throws(KeyError) -> (x: [UInt8], y: [UInt8]) {
        (publicPoint.x, publicPoint.y)
    }

    /// ECDH with `peer`: writes Z, the 32-byte x-coordinate of d·Q (SEC 1 §3.3.1), into `output`.
    /// `peer` was validated when it was made; its point is checked on the curve again here.
    /// The corresponding C function is `EC_POINT_mul` (as in libcrypto's `ecdh_simple_compute_key`).
    public func deriveSharedSecret(with peer: P256PublicPoint, into output: UnsafeMutableRawBufferPointer) throws(CipherError) {
        guard output.count == Self.sharedSecretByteCount else {
            throw .invalidLength(.output, expected: Self.sharedSecretByteCount, actual: output.count)
        }
        let point = try peer.ecPoint()
        defer { EC_POINT_free(point) }
        try P256Curve.sharedSecret(scalar: scalar, peer: point, into: output)
    }

    /// ECDH with an `EVP_PKEY` peer (which must be P-256): its coordinates, validated, then
    /// the ECDH above.
    public func deriveSharedSecret(with peer: PublicKey, into output: UnsafeMutableRawBufferPointer) throws(CipherError) {
        let (x, y) = try peer.p256Coordinates()
        try deriveSharedSecret(with: try P256PublicPoint(x: x, y: y), into: output)
    }
}

extension KeyError {
    /// A ``P256Curve`` failure while making or exporting a key: libcrypto's error, or (for a
    /// scalar or point libcrypto itself produced) the check that refused it, as the operation.
    init(_ error: CipherError) {
        if case .openSSL(let underlying) = error { self = .openSSL(underlying) } else { self = .openSSL(OpenSSLError(operation: "P-256 key: \(error)", entries: [])) }
    }
}
