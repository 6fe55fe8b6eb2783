import CNettle

/// An ECDSA P-384 verifying key in nettle's form: a `struct ecc_point` on `nettle_get_secp_384r1()` (libhogweed).
///
/// The broker's one report-signature verifier (SEV-SNP reports: ECDSA P-384 over SHA-384 of bytes 0x000..<0x2A0).
/// nettle 3.8's P-384 verify is about twice as fast as OpenSSL 3.0's generic EC code (README, "Dependencies").
/// Immutable after init and therefore shareable: `ecdsa_verify` only reads the point, and its scratch space is on
/// the caller's stack.
public final class P384ECDSAPublicKey: @unchecked Sendable {
    /// Bytes of an affine coordinate, of r and s, and of the SHA-384 digest.
    public static let coordinateByteCount = 48
    public static let scalarByteCount = 48
    public static let digestByteCount = 48

    private let point: UnsafeMutablePointer<ecc_point>

    /// Imports the affine point (x, y), each exactly 48 bytes, big-endian (what OpenSSL's
    /// `OSSL_PKEY_PARAM_EC_PUB_X`/`_Y` give, leading zeros kept). Throws unless the point is on P-384 with
    /// reduced coordinates.
    /// The corresponding C functions are `ecc_point_init`, `mpz_import` and `ecc_point_set`.
    public init(x: [UInt8], y: [UInt8]) throws(P384ECDSAError) {
        try Self.requireLength(x, .x, Self.coordinateByteCount)
        try Self.requireLength(y, .y, Self.coordinateByteCount)
        let point = UnsafeMutablePointer<ecc_point>.allocate(capacity: 1)
        nettle_ecc_point_init(point, nettle_get_secp_384r1())
        guard guestguard_ecc_point_set_big_endian(point, x, x.count, y, y.count) == 1 else {
            nettle_ecc_point_clear(point)
            point.deallocate()
            throw .pointNotOnCurve
        }
        self.point = point
    }

    /// The corresponding C function is `ecc_point_clear`.
    deinit {
        nettle_ecc_point_clear(point)
        point.deallocate()
    }

    /// Verifies the ECDSA signature (r, s), 48 bytes each, big-endian, over a 48-byte SHA-384 `digest`. Returns
    /// false for any signature that does not verify, including r or s outside 1 ..< n; throws only for inputs of
    /// the wrong size.
    /// The corresponding C functions are `dsa_signature_init`, `mpz_import`, `ecdsa_verify` and
    /// `dsa_signature_clear`.
    public func isValidSignature(digest: [UInt8], r: [UInt8], s: [UInt8]) throws(P384ECDSAError) -> Bool {
        try Self.requireLength(digest, .digest, Self.digestByteCount)
        try Self.requireLength(r, .r, Self.scalarByteCount)
        try Self.requireLength(s, .s, Self.scalarByteCount)
        return guestguard_ecdsa_verify_big_endian(point, digest, digest.count, r, r.count, s, s.count) == 1
    }

    static func requireLength(_ bytes: [UInt8], _ field: P384ECDSAError.Field, _ expected: Int) throws(P384ECDSAError) {
        guard bytes.count == expected else { throw .invalidLength(field, expected: expected, actual: bytes.count) }
    }
}
