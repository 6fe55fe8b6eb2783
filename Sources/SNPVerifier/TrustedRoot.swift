import AMDCertificateProfile
import GuestGuardCrypto
import SNPABI

/// One trusted ARK for one processor generation, with the intermediates (ASK, ASVK) it has been
/// checked to have issued. Construction verifies everything, so a `TrustedRoot` is known good.
public struct TrustedRoot: Sendable {
    /// Where the root came from.
    public enum Origin: Sendable, Hashable {
        /// AMD's embedded, fingerprint-pinned root.
        case amdPinned
        /// Added explicitly by the caller (e.g. the simulated ARK).
        case added
    }

    public let generation: ProcessorGeneration
    public let ark: X509Certificate
    public let arkKey: PublicKey
    /// Intermediates verified to be issued by ``ark``.
    public let intermediates: [X509Certificate]
    public let origin: Origin

    /// Trusts `ark` for `generation`: requires it to be self-issued and self-signed under the AMD
    /// profile, and every intermediate to be issued and signed by it with an ASK/ASVK name.
    public init(
        generation: ProcessorGeneration, ark: X509Certificate, intermediates: [X509Certificate] = [], origin: Origin = .added
    ) throws(TrustStoreError) {
        let arkName = ark.subjectCommonName ?? ark.subject.description
        guard ark.isIssuerName(of: ark) else { throw .arkNotSelfIssued(name: arkName, issuer: ark.issuer.description) }
        let key: PublicKey
        do { key = try ark.publicKey() } catch { throw .arkSelfSignatureInvalid(name: arkName, .issuerKeyUnusable(error)) }
        do { try ark.verifyAMDSignature(issuerKey: key) } catch { throw .arkSelfSignatureInvalid(name: arkName, error) }
        for intermediate in intermediates {
            let name = intermediate.subjectCommonName ?? intermediate.subject.description
            guard IntermediateRole(commonName: intermediate.subjectCommonName) != nil else { throw .unknownIntermediateRole(name: name) }
            guard intermediate.isIssuerName(of: ark) else {
                throw .intermediateNotIssuedByARK(name: name, issuer: intermediate.issuer.description, ark: arkName)
            }
            do { try intermediate.verifyAMDSignature(issuerKey: key) } catch { throw .intermediateSignatureInvalid(name: name, error) }
        }
        self.generation = generation
        self.ark = ark
        self.arkKey = key
        self.intermediates = intermediates
        self.origin = origin
    }

    /// Loads a pinned ARK and pinned intermediates (fingerprints checked first).
    public init(
        generation: ProcessorGeneration, pinnedARK: PinnedCertificate, pinnedIntermediates: [PinnedCertificate]
    ) throws(TrustStoreError) {
        var intermediates: [X509Certificate] = []
        for pinned in pinnedIntermediates { intermediates.append(try pinned.load()) }
        try self.init(generation: generation, ark: pinnedARK.load(), intermediates: intermediates, origin: .amdPinned)
    }

    /// The ARK's common name, for messages.
    public var name: String { ark.subjectCommonName ?? ark.subject.description }
}
