/// A key-agreement, key-wrap, content-encryption or public-key-encryption operation failed,
/// or its inputs were rejected before any libcrypto call.
///
/// Authentication failures (`authenticationFailed`, `keyUnwrapIntegrityCheckFailed`,
/// `rsaDecryptionFailed`) carry no detail on purpose: which check failed must not leak.
public enum CipherError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The input an error refers to.
    public enum Input: String, Hashable, Sendable, CustomStringConvertible {
        case aesKey = "AES-256 key"
        case keyEncryptionKey = "AES-256 key-encryption key"
        case keyToWrap = "key to wrap"
        case wrappedKey = "wrapped key"
        case gcmNonce = "GCM nonce"
        case gcmTag = "GCM tag"
        case plaintext = "plaintext"
        case ciphertext = "ciphertext"
        case additionalAuthenticatedData = "additional authenticated data"
        case ellipticCurveCoordinate = "P-256 coordinate"
        case ellipticCurveScalar = "P-256 private scalar"
        case sharedSecret = "ECDH shared secret"
        case rsaModulus = "RSA modulus"
        case rsaExponent = "RSA public exponent"
        case rsaCiphertext = "RSA-OAEP ciphertext"
        case derivedKey = "derived key"
        case output = "output buffer"

        public var description: String { rawValue }
    }

    /// libcrypto failed; the queue was drained right after the failing call.
    case openSSL(OpenSSLError)
    /// The key is not of the kind the operation requires.
    case wrongKeyType(expected: String, actual: PublicKeyAlgorithm)
    /// An input has the wrong size.
    case invalidLength(Input, expected: Int, actual: Int)
    /// RFC 3394 §2: key data is a whole number of 64-bit blocks, at least two (the wrapped form
    /// one block more).
    case invalidKeyWrapLength(Input, actual: Int)
    /// An input is larger than the operation accepts.
    case inputTooLarge(Input, limit: Int, actual: Int)
    /// The affine coordinates are not a point of P-256 (or are not reduced modulo p).
    case pointNotOnCurve
    /// The private scalar is 0 or not below the group order.
    case scalarOutOfRange
    /// Only 2048-, 3072- and 4096-bit RSA moduli are accepted.
    case unsupportedRSAModulusSize(bits: Int)
    /// The RSA public key fails a structural check (leading zero byte, even modulus, exponent
    /// out of SP 800-56B range …).
    case invalidRSAPublicKey(reason: String)
    /// AES-GCM: the tag does not match. No plaintext was released (the output was cleansed).
    case authenticationFailed
    /// AES key unwrap: the RFC 3394 §2.2.3 integrity check value does not match.
    case keyUnwrapIntegrityCheckFailed
    /// RSA-OAEP: the ciphertext does not decode under this key (wrong key, label or padding).
    case rsaDecryptionFailed

    public var description: String {
        switch self {
        case .openSSL(let error): "\(error)"
        case .wrongKeyType(let expected, let actual): "key is \(actual), expected \(expected)"
        case .invalidLength(let input, let expected, let actual): "\(input) is \(actual) bytes, expected \(expected)"
        case .invalidKeyWrapLength(let input, let actual):
            "\(input) is \(actual) bytes; RFC 3394 needs a multiple of 8 bytes, at least \(input == .wrappedKey ? 24 : 16)"
        case .inputTooLarge(let input, let limit, let actual): "\(input) is \(actual) bytes, more than the limit of \(limit)"
        case .pointNotOnCurve: "the coordinates are not a point on P-256"
        case .scalarOutOfRange: "the P-256 private scalar is not in [1, n-1]"
        case .unsupportedRSAModulusSize(let bits): "RSA modulus of \(bits) bits (expected 2048, 3072 or 4096)"
        case .invalidRSAPublicKey(let reason): "invalid RSA public key: \(reason)"
        case .authenticationFailed: "AES-GCM authentication tag mismatch"
        case .keyUnwrapIntegrityCheckFailed: "AES key unwrap integrity check failed"
        case .rsaDecryptionFailed: "RSA-OAEP decryption failed"
        }
    }
}
