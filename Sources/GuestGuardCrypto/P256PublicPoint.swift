import COpenSSL

/// A validated P-256 public key as a JWK carries it (RFC 7518 §6.2.1): the affine coordinates,
/// 32 bytes each, big-endian, leading zeros kept. The JWE `ECDH-ES+A256KW` peer key in both
/// directions: the broker's recipient `tee-pubkey`, the guest's received `epk`.
///
/// Validation is ``P256Curve/point(x:y:)``'s: on the curve, coordinates below p, not the point at
/// infinity; with P-256's cofactor 1 that is full validation. ``PublicKey/init(p256X:y:)`` is the
/// `EVP_PKEY` form for the callers that need one (ECDSA, SubjectPublicKeyInfo).
public struct P256PublicPoint: Hashable, Sendable {
    public let x: [UInt8]
    public let y: [UInt8]

    /// Validates the coordinates (``CipherError/invalidLength(_:expected:actual:)`` for a
    /// coordinate that is not 32 bytes, ``CipherError/pointNotOnCurve`` otherwise).
    public init(x: [UInt8], y: [UInt8]) throws(CipherError) {
        EC_POINT_free(try P256Curve.point(x: x, y: y))
        self.x = x
        self.y = y
    }

    /// Coordinates libcrypto computed (d·G): already a point of the curve.
    init(computedX x: [UInt8], y: [UInt8]) {
        self.x = x
        self.y = y
    }

    /// The `EC_POINT`, validated again (a few field operations); the caller frees it.
    func ecPoint() throws(CipherError) -> OpaquePointer {
        try P256Curve.point(x: x, y: y)
    }
}
