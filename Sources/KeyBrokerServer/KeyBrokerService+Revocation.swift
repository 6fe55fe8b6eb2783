import AMDCertificateProfile
import GuestGuardCrypto
import KeyBrokerProtocol
import SNPABI
import SNPPolicy
import SNPVerifier
import Synchronization

/// AMD's CRLs on the `cert_chain` path. Evidence whose VCEK came from KDS is checked against the
/// product's current CRL by ``KDSCollateralProvider``; evidence that carries its own `cert_chain`
/// is checked here against the CRLs the store holds (`crl-<product>` in the KDS cache: fetched by
/// any replica for a guest without `cert_chain`, or imported by the tenant): a CRL that verifies
/// under the ARK the chain ended in and lists the chain's ASK or VCEK refuses it. A revocation
/// does not lapse, so a CRL past its nextUpdate still counts here. No CRL in the store: no check
/// (as before this path had one); docs/broker-kds.md says how to keep one there.
extension KeyBrokerService {
    /// How long the CRLs read from the store are reused before they are read again (seconds).
    static let revocationListLifetime: Int64 = 60

    /// The refusal for `attestation`'s `cert_chain` when a CRL from the store revokes its ASK;
    /// nil otherwise. `root`: the SHA-256 of the ARK the verified chain ended in, found
    /// among the evidence's ARK, the tenant's ARK files (`trust`) and AMD's roots. A chain that
    /// leaves its ASK out (the verifier then used AMD's pinned one) is checked with that ASK: the
    /// host cannot dodge the CRL by omitting a certificate.
    func revocationRefusal(_ attestation: Attestation, report: AttestationReport, root: [UInt8], trust: TrustPolicy?)
        async throws(BrokerStoreError) -> Refusal?
    {
        let lists = try await storedRevocationLists()
        guard !lists.isEmpty else { return nil }
        let chain = (try? attestation.snpEvidence().certChain) ?? nil
        func certificate(_ type: SNPEvidence.CertType) -> X509Certificate? {
            chain?.first { $0.certType == type }.flatMap { try? X509Certificate(derEncoded: $0.data) }
        }
        let amd = (try? AMDRootCertificates.trustStore().roots) ?? []
        var arks = [certificate(.ark)].compactMap { $0 } + amd.map(\.ark)
        for path in trust?.arkCertificatePaths ?? [] {
            arks += (try? X509Certificate.certificates(pemEncoded: trustFiles.readText(path))) ?? []
        }
        guard let ark = arks.first(where: { $0.sha256Fingerprint == root }), let arkKey = try? ark.publicKey() else { return nil }
        // The ARK's CRL names what the ARK issued: the ASK (or ASVK). VCEKs are the ASK's (AMD gives
        // them all serial 0), so a serial on the ARK's CRL says nothing about a VCEK.
        let intermediates = certificate(.ask).map { [$0] } ?? amd.first { $0.ark.sha256Fingerprint == root }?.intermediates ?? []
        for list in lists where list.isIssued(by: ark) {
            guard (try? list.verifyAMDSignature(issuerKey: arkKey)) != nil else { continue }
            for intermediate in intermediates where list.revokes(intermediate) {
                return Refusal(code: .revoked, reasons: ["the evidence's \(intermediate.subjectCommonName ?? "ASK") is revoked by the CRL of \(ark.subjectCommonName ?? "the ARK")"],
                               report: report)
            }
        }
        return nil
    }

    /// Every product's CRL in the store, parsed; read again after ``revocationListLifetime``.
    func storedRevocationLists() async throws(BrokerStoreError) -> [X509RevocationList] {
        let time = now
        if let cached = revocationLists.withLock({ $0 }), time - cached.readAt < Self.revocationListLifetime, time >= cached.readAt {
            return cached.lists
        }
        var lists: [X509RevocationList] = []
        for generation in ProcessorGeneration.allCases {
            let bytes: [UInt8]?
            do { bytes = try await storage.kdsDocument(named: KDSDocument.revocationList(generation).cacheName) } catch {
                if case .unavailable = error { throw error }
                continue
            }
            if let bytes, let list = try? X509RevocationList(derEncoded: bytes) { lists.append(list) }
        }
        revocationLists.withLock { $0 = (time, lists) }
        return lists
    }
}
