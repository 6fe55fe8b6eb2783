/// Why a TPM quote is refused, with a stable code the broker's audit and the client's error name.
public struct TPMQuoteFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The evidence does not parse (TPMS_ATTEST, TPMT_PUBLIC, TPMT_SIGNATURE, encodings).
        case malformed = "tpm-evidence-malformed"
        /// The signature does not verify under the attestation key.
        case quoteSignature = "tpm-quote-signature"
        /// The PCR values sent do not hash to the quote's pcrDigest, or the selection is not the required one.
        case pcrDigest = "tpm-pcr-digest"
        /// extraData is not the nonce the verifier expects.
        case nonce = "tpm-nonce"
        /// The attestation key is not a restricted TPM signing key, or is not the one bound to the report.
        case akBinding = "tpm-ak-binding"
        /// A PCR value differs from the value the policy pins.
        case pcrPolicy = "tpm-pcr-policy"
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }

    /// Equality on the code only (as `CertificateError`).
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
