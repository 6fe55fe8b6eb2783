/// A certificate that could not be parsed or read.
public enum X509Error: Error, Hashable, Sendable, CustomStringConvertible {
    /// libcrypto rejected the DER.
    case malformedDER(OpenSSLError)
    /// The DER parsed but `count` bytes follow the certificate.
    case trailingData(count: Int)
    /// The PEM text could not be decoded.
    case malformedPEM(OpenSSLError)
    /// A PEM block is not a `CERTIFICATE`.
    case unexpectedPEMLabel(String)
    /// Exactly one certificate was expected.
    case expectedOneCertificate(found: Int)
    /// notBefore / notAfter is not a valid ASN.1 time.
    case invalidTime(field: String)
    /// The extension appears more than once (RFC 5280 §4.2 forbids it; we cannot pick one).
    case duplicateExtension(objectIdentifier: String)
    /// Encoding a field failed.
    case encoding(OpenSSLError)

    public var description: String {
        switch self {
        case .malformedDER(let error): "certificate DER is malformed: \(error)"
        case .trailingData(let count): "\(count) trailing byte(s) after the certificate DER"
        case .malformedPEM(let error): "certificate PEM is malformed: \(error)"
        case .unexpectedPEMLabel(let label): "PEM block is \"\(label)\", expected \"CERTIFICATE\""
        case .expectedOneCertificate(let found): "expected one certificate, found \(found)"
        case .invalidTime(let field): "certificate \(field) is not a valid time"
        case .duplicateExtension(let oid): "extension \(oid) appears more than once"
        case .encoding(let error): "certificate encoding failed: \(error)"
        }
    }
}
