import AMDCertificateProfile
import GuestGuardCrypto

/// A trust anchor that cannot be loaded. Any of these makes the verifier unusable: fail closed.
public enum TrustStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An embedded certificate's SHA-256 differs from its pin.
    case fingerprintMismatch(name: String, expected: String, actual: String)
    /// An embedded or supplied certificate does not parse.
    case malformedCertificate(name: String, X509Error)
    /// The ARK's issuer name is not its own subject name.
    case arkNotSelfIssued(name: String, issuer: String)
    /// The ARK's self-signature does not verify (or is not RSASSA-PSS/SHA-384/salt 48).
    case arkSelfSignatureInvalid(name: String, CertificateSignatureError)
    /// An intermediate's issuer name is not the ARK's subject.
    case intermediateNotIssuedByARK(name: String, issuer: String, ark: String)
    /// An intermediate's signature does not verify under the ARK.
    case intermediateSignatureInvalid(name: String, CertificateSignatureError)
    /// An intermediate's common name is neither `SEV-<product>` (ASK) nor `SEV-VLEK-<product>` (ASVK).
    case unknownIntermediateRole(name: String)

    public var description: String {
        switch self {
        case .fingerprintMismatch(let name, let expected, let actual):
            "pinned certificate \(name): SHA-256 is \(actual), pinned \(expected)"
        case .malformedCertificate(let name, let error): "certificate \(name) does not parse: \(error)"
        case .arkNotSelfIssued(let name, let issuer): "root \(name) is issued by \"\(issuer)\", not by itself"
        case .arkSelfSignatureInvalid(let name, let error): "root \(name) self-signature: \(error)"
        case .intermediateNotIssuedByARK(let name, let issuer, let ark): "intermediate \(name) is issued by \"\(issuer)\", not by \(ark)"
        case .intermediateSignatureInvalid(let name, let error): "intermediate \(name) signature: \(error)"
        case .unknownIntermediateRole(let name): "intermediate \(name) is neither an ASK (SEV-<product>) nor an ASVK (SEV-VLEK-<product>)"
        }
    }
}
