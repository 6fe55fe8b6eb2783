import CanonicalJSON
import SNPABI

/// The `tpm` entry of `additional_evidence`: a TPM2 quote in guest-components' TPM attester
/// shape (GC `attestation-agent/attester/src/tpm/mod.rs` `Evidence`, Trustee
/// `deps/verifier/src/tpm`):
///
/// ```
/// {"ak_public": B64(TPMT_PUBLIC), "report_data": B64(qualifying data), "svn": "1",
///  "tpm_quote": {"message": B64(TPMS_ATTEST), "pcrs": [hex SHA-256 PCR 0, …, PCR 23], "signature": B64(TPMT_SIGNATURE)}}
/// ```
///
/// Base64 is standard with padding (GC `general_purpose::STANDARD`); `pcrs[i]` is PCR i of the
/// SHA-256 bank in lowercase hex. The quote's qualifying data is the additional-device runtime
/// binding, ``RuntimeDataBinding/additionalEvidenceNonce(nonce:teePubkey:hash:)``.
public struct TPMQuoteEvidence: KBSMessage, Hashable {
    /// The PCRs guestguard quotes (SHA-256 bank): firmware and boot 0–9, the unified kernel
    /// image 11, shim's MOK 14, guestguard's unlock measurement 15. The broker requires exactly these.
    public static let quotedPCRs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 14, 15]

    public struct Quote: Codable, Hashable, Sendable {
        /// TPMT_SIGNATURE, base64.
        public var signature: String
        /// TPMS_ATTEST, base64.
        public var message: String
        /// SHA-256 PCR values, hex, indexed by PCR number.
        public var pcrs: [String]

        public init(signature: String, message: String, pcrs: [String]) {
            self.signature = signature
            self.message = message
            self.pcrs = pcrs
        }
    }

    public var svn: String
    /// The quote's qualifying data, base64.
    public var reportData: String
    public var tpmQuote: Quote
    /// The attestation key's TPMT_PUBLIC, base64.
    public var akPublic: String

    enum CodingKeys: String, CodingKey {
        case svn
        case reportData = "report_data"
        case tpmQuote = "tpm_quote"
        case akPublic = "ak_public"
    }

    public init(svn: String, reportData: String, tpmQuote: Quote, akPublic: String) {
        self.svn = svn
        self.reportData = reportData
        self.tpmQuote = tpmQuote
        self.akPublic = akPublic
    }

    /// Encodes binary quote parts. `pcrs[i]` must be PCR i's 32-byte SHA-256 value.
    public init(attest: [UInt8], signature: [UInt8], attestationKeyPublic: [UInt8], qualifyingData: [UInt8], pcrs: [[UInt8]]) {
        self.init(svn: "1", reportData: Base64.encode(qualifyingData),
                  tpmQuote: Quote(signature: Base64.encode(signature), message: Base64.encode(attest), pcrs: pcrs.map { Hex.encode($0) }),
                  akPublic: Base64.encode(attestationKeyPublic))
    }

    /// The decoded binary parts; errors name the member.
    public func decoded() throws(KeyBrokerProtocolError)
        -> (attest: [UInt8], signature: [UInt8], attestationKeyPublic: [UInt8], qualifyingData: [UInt8], pcrs: [Int: [UInt8]])
    {
        func base64(_ text: String, _ field: String) throws(KeyBrokerProtocolError) -> [UInt8] {
            do { return try Base64.decode(text) } catch {
                throw KeyBrokerProtocolError(.invalidValue, field: field, reason: "not base64: \(error)", underlying: .base64(error))
            }
        }
        var pcrs: [Int: [UInt8]] = [:]
        for (index, text) in tpmQuote.pcrs.enumerated() {
            guard let value = Hex.decode(text), value.count == 32 else {
                throw KeyBrokerProtocolError(.invalidValue, field: "tpm_quote.pcrs[\(index)]", reason: "not 64 hex digits")
            }
            pcrs[index] = value
        }
        return (try base64(tpmQuote.message, "tpm_quote.message"), try base64(tpmQuote.signature, "tpm_quote.signature"),
                try base64(akPublic, "ak_public"), try base64(reportData, "report_data"), pcrs)
    }
}
