/// A key could not be generated, imported, exported or used.
public enum KeyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// libcrypto failed.
    case openSSL(OpenSSLError)
    /// The key is not of the kind the operation requires.
    case wrongKeyType(expected: String, actual: PublicKeyAlgorithm)
    /// `count` bytes follow the encoded key or signature.
    case trailingData(count: Int)
    /// A raw ECDSA component (r or s) has the wrong length.
    case invalidSignatureComponentLength(expected: Int, actual: Int)
    /// The PEM text does not hold exactly one block with the expected label.
    case unexpectedPEM(expectedLabel: String, found: [String])

    public var description: String {
        switch self {
        case .openSSL(let error): "\(error)"
        case .wrongKeyType(let expected, let actual): "key is \(actual), expected \(expected)"
        case .trailingData(let count): "\(count) trailing byte(s) after the encoded value"
        case .invalidSignatureComponentLength(let expected, let actual):
            "ECDSA signature component is \(actual) bytes, expected \(expected)"
        case .unexpectedPEM(let expected, let found):
            "expected one PEM block \"\(expected)\", found [\(found.joined(separator: ", "))]"
        }
    }
}
