import CanonicalJSON
import GuestGuardPlatform
import KeyBrokerProtocol
import Synchronization

/// Adds a TPM2 quote over PCRs 0–9, 11, 14, 15 (SHA-256 bank) as the `tpm` additional evidence:
/// a fresh transient attestation key, the binding as qualifying data, and all 24 PCR values.
public final class TPMQuoteProvider: AdditionalEvidenceProvider, TrustedPlatformModule {
    private let tpm: Mutex<any TrustedPlatformModule>

    /// Takes the TPM over: ESYS contexts are single-threaded, so every use goes through this provider.
    public init(_ tpm: sending any TrustedPlatformModule) {
        self.tpm = Mutex(tpm)
    }

    public func evidence(binding: [UInt8]) throws -> [Tee: JSONValue] {
        let (quote, pcrs) = try tpm.withLock { tpm throws(TPMError) in
            (try tpm.quote(pcrs: TPMQuoteEvidence.quotedPCRs, qualifyingData: binding), try tpm.readPCRs(Array(0..<24)))
        }
        let evidence = TPMQuoteEvidence(attest: quote.attest, signature: quote.signature, attestationKeyPublic: quote.attestationKeyPublic,
                                        qualifyingData: binding, pcrs: (0..<24).map { pcrs[$0] ?? [] })
        return [.tpm: try evidence.json()]
    }

    // TrustedPlatformModule, serialized through the lock: the unlock command measures through
    // the same connection (swtpm's TCP server takes one client at a time).

    public func readPCRs(_ indices: [Int]) throws(TPMError) -> [Int: [UInt8]] {
        try tpm.withLock { tpm throws(TPMError) in try tpm.readPCRs(indices) }
    }

    public func extendPCR(_ index: Int, sha256 digest: [UInt8]) throws(TPMError) {
        try tpm.withLock { tpm throws(TPMError) in try tpm.extendPCR(index, sha256: digest) }
    }

    public func properties() throws(TPMError) -> TPMProperties {
        try tpm.withLock { tpm throws(TPMError) in try tpm.properties() }
    }

    public func quote(pcrs: [Int], qualifyingData: [UInt8]) throws(TPMError) -> TPMQuote {
        try tpm.withLock { tpm throws(TPMError) in try tpm.quote(pcrs: pcrs, qualifyingData: qualifyingData) }
    }
}
