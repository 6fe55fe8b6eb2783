/// Why nettle's ECDSA P-384 could not even be asked: an input of the wrong size or a public point that is not on
/// the curve. A signature that is merely wrong is not an error (``P384ECDSAPublicKey/isValidSignature(digest:r:s:)``
/// returns false).
public enum P384ECDSAError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An input that must have a fixed size.
    public enum Field: String, Sendable, Hashable {
        case x = "public key x"
        case y = "public key y"
        case digest = "SHA-384 digest"
        case r = "signature r"
        case s = "signature s"
        case privateScalar = "private key scalar"
    }

    /// `field` is `actual` bytes, not `expected`.
    case invalidLength(Field, expected: Int, actual: Int)
    /// (x, y) is not a point of P-384: a coordinate is not below p, or y² ≠ x³ − 3x + b (this includes every
    /// encoding of the point at infinity, which has no affine coordinates). `ecc_point_set` returned 0.
    case pointNotOnCurve
    /// The private scalar is not in 1 ..< n. `ecc_scalar_set` returned 0.
    case scalarOutOfRange
    /// The random source for the signing nonce failed; the signature was discarded.
    case randomSourceFailed

    public var description: String {
        switch self {
        case .invalidLength(let field, let expected, let actual): "P-384 \(field.rawValue) is \(actual) bytes, expected \(expected)"
        case .pointNotOnCurve: "P-384 public key (x, y) is not a point on the curve"
        case .scalarOutOfRange: "P-384 private key scalar is not in 1..<n"
        case .randomSourceFailed: "the random source for the ECDSA nonce failed; nothing was signed"
        }
    }
}
