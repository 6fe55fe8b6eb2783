import GuestGuardCrypto
import KeyBrokerProtocol
import SNPABI
import TPMEvidence

extension KeyBrokerService {
    /// The `tpm` entry of `additional_evidence`, verified: the restricted attestation key's
    /// signature over the quote, extraData = SHA-384(JCS({nonce, tee-pubkey})) for this session,
    /// and the PCR values against pcrDigest. Runs after the REPORT_DATA check, which binds the
    /// whole `additional_evidence` text (and so the attestation key) to the SNP report.
    /// Returns the quoted PCR values, or nil when there is no quote.
    func verifyTPMQuote(_ attestation: Attestation, nonce: String, teePubkey: EphemeralPublicKey) -> Result<[Int: [UInt8]]?, Refusal> {
        let evidence: TPMQuoteEvidence?
        let parts: (attest: [UInt8], signature: [UInt8], attestationKeyPublic: [UInt8], qualifyingData: [UInt8], pcrs: [Int: [UInt8]])
        do {
            evidence = try AdditionalEvidence.tpmQuote(in: attestation.teeEvidence.additionalEvidence)
            guard let evidence else { return .success(nil) }
            parts = try evidence.decoded()
        } catch {
            return .failure(Refusal(code: .tpmQuote, reasons: ["\(TPMQuoteFailure.Code.malformed.rawValue): \(error)"]))
        }
        let expected = RuntimeDataBinding.additionalEvidenceNonce(nonce: nonce, teePubkey: teePubkey) {
            (try? HashFunction.sha384.hash($0)) ?? []
        }
        guard parts.qualifyingData == expected else {
            return .failure(Refusal(code: .tpmQuote, reasons: ["\(TPMQuoteFailure.Code.nonce.rawValue): report_data is not this session's binding"]))
        }
        do {
            let verified = try TPMQuoteVerifier(requiredPCRs: TPMQuoteEvidence.quotedPCRs).verify(
                attest: parts.attest, signature: parts.signature, attestationKeyPublic: parts.attestationKeyPublic,
                pcrValues: parts.pcrs, expectedNonce: expected)
            return .success(verified.pcrValues)
        } catch {
            return .failure(Refusal(code: .tpmQuote, reasons: [error.description]))
        }
    }

    /// The audit line's `tpm` member: PCR 15 (guestguard's unlock measurement) in full, or `no quote`.
    static func tpmAuditText(_ quoted: [Int: [UInt8]]?) -> String {
        guard let quoted else { return "no quote" }
        return "quote verified, pcr15=" + Hex.encode(quoted[15] ?? [])
    }
}
