import GuestGuardCrypto

/// Input so broken that no per-check result can be produced.
public enum SNPVerificationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The VCEK/VLEK DER does not parse.
    case malformedVEK(X509Error)
    /// Hashing the VEK failed.
    case openSSL(OpenSSLError)

    public var description: String {
        switch self {
        case .malformedVEK(let error): "VEK certificate: \(error)"
        case .openSSL(let error): "\(error)"
        }
    }
}
