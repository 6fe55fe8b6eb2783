import AMDCertificateProfile
import GuestGuardCrypto
import P384ECDSA
import SNPABI

/// Why a check failed. Closed, with the values involved, so callers (and tests) can tell
/// failures apart without matching strings.
public enum VerificationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// No trusted ARK has the intermediate's issuer name, or none has signed it.
    case rootNotTrusted(issuer: String)
    /// No intermediate (supplied or in the trust store) has the VEK's issuer name.
    case intermediateNotFound(issuer: String)
    /// `certificate`'s issuer name is not `expectedIssuer`'s subject.
    case issuerNameMismatch(certificate: String, issuer: String, expectedIssuer: String)
    /// `certificate`'s signature is not acceptable.
    case signatureInvalid(certificate: String, CertificateSignatureError)
    /// The intermediate's role cannot sign this kind of VEK (an ASK offered for a VLEK, or the reverse).
    case wrongIntermediateRole(vek: VEKKind, intermediate: String, role: IntermediateRole?)
    /// The VEK's common name is neither `SEV-VCEK` nor `SEV-VLEK`.
    case unknownVEKKind(commonName: String?)
    /// `time` is before notBefore.
    case notYetValid(certificate: String, notBefore: Int64, time: Int64)
    /// `time` is after notAfter.
    case expired(certificate: String, notAfter: Int64, time: Int64)
    /// KEY_INFO.SIGNING_KEY is 7: the report is unsigned.
    case reportUnsigned
    /// KEY_INFO.SIGNING_KEY names another kind of key than the certificate presented.
    case signingKeyMismatch(report: SigningKey, certificate: VEKKind)
    /// The report signature does not verify under the VEK's key.
    case reportSignatureInvalid
    /// The VEK's key cannot verify ECDSA P-384 (wrong key type or OpenSSL failure).
    case vekKeyUnusable(KeyError)
    /// nettle's P-384 refused an input: the VEK's point is not on the curve, or a value has the wrong size.
    case p384InputRejected(P384ECDSAError)
    /// CPUID_FAM_ID/CPUID_MOD_ID name another generation than the chain.
    case generationMismatch(report: ProcessorGeneration, chain: ProcessorGeneration)
    /// CPUID_FAM_ID/CPUID_MOD_ID name no known generation.
    case unknownCPUID(family: UInt8, model: UInt8)
    /// The productName extension names another generation.
    case productNameMismatch(productName: String, expected: ProcessorGeneration)
    /// A required VEK extension is absent.
    case extensionMissing(VEKExtension)
    /// A VEK extension is malformed.
    case extensionMalformed(VEKExtension, DERError)
    /// A VEK extension appears more than once.
    case extensionDuplicated(VEKExtension)
    /// A security patch level in the VEK differs from REPORTED_TCB.
    case tcbMismatch(VEKExtension, certificate: UInt64, report: UInt8)
    /// The VCEK's hwID differs from CHIP_ID.
    case hwIDMismatch(certificate: [UInt8], report: [UInt8])
    /// The check could not run because `prerequisite` failed.
    case notEvaluated(prerequisite: SNPCheck)

    public var description: String {
        switch self {
        case .rootNotTrusted(let issuer): "no trusted ARK issued \"\(issuer)\""
        case .intermediateNotFound(let issuer): "no ASK/ASVK named \"\(issuer)\" was supplied or is trusted"
        case .issuerNameMismatch(let certificate, let issuer, let expectedIssuer):
            "\(certificate) is issued by \"\(issuer)\", not by \(expectedIssuer)"
        case .signatureInvalid(let certificate, let error): "\(certificate): \(error)"
        case .wrongIntermediateRole(let vek, let intermediate, let role):
            "a \(vek) must be issued by an \(IntermediateRole(signing: vek)), \(intermediate) is \(role.map { "an \($0)" } ?? "neither")"
        case .unknownVEKKind(let commonName): "VEK common name \(commonName.map { "\"\($0)\"" } ?? "(none)") is neither SEV-VCEK nor SEV-VLEK"
        case .notYetValid(let certificate, let notBefore, let time): "\(certificate) is not valid before \(notBefore) (time \(time))"
        case .expired(let certificate, let notAfter, let time): "\(certificate) expired at \(notAfter) (time \(time))"
        case .reportUnsigned: "KEY_INFO.SIGNING_KEY is 7 (none): the report is unsigned"
        case .signingKeyMismatch(let report, let certificate): "KEY_INFO.SIGNING_KEY is \(report) but the certificate is a \(certificate)"
        case .reportSignatureInvalid: "ECDSA P-384 signature over bytes 0x000..<0x2A0 does not verify under the VEK key"
        case .vekKeyUnusable(let error): "VEK key cannot verify the report: \(error)"
        case .p384InputRejected(let error): "VEK key cannot verify the report: \(error)"
        case .generationMismatch(let report, let chain):
            "report CPUID says \(report.kdsProductName), the certificate chain is \(chain.kdsProductName)"
        case .unknownCPUID(let family, let model): "report CPUID family 0x\(String(family, radix: 16)) model 0x\(String(model, radix: 16)) is no known generation"
        case .productNameMismatch(let productName, let expected): "productName \"\(productName)\" is not \(expected.kdsProductName)"
        case .extensionMissing(let item): "VEK has no \(item) extension"
        case .extensionMalformed(let item, let error): "VEK \(item) extension: \(error)"
        case .extensionDuplicated(let item): "VEK has more than one \(item) extension"
        case .tcbMismatch(let item, let certificate, let report): "VEK \(item) is \(certificate), REPORTED_TCB has \(report)"
        case .hwIDMismatch(let certificate, let report): "VEK hwID \(certificate.hexString) is not CHIP_ID \(report.hexString)"
        case .notEvaluated(let prerequisite): "not evaluated: \(prerequisite) failed"
        }
    }
}
