import AMDCertificateProfile
import GuestGuardCrypto
import KDSCollateral
import KeyBrokerProtocol
import SNPABI
import SNPPolicy
import SNPVerifier

/// AMD's CRLs on the `cert_chain` path (evidence whose VCEK came from KDS was checked against a
/// current CRL by ``KDSCollateralProvider`` already). The CRL of the product whose ARK the
/// verified chain ended in comes from the store (`crl-<product>`: imported with
/// `guestguard-broker crl import`, or fetched by any replica) and, when that one is missing,
/// unverifiable or past its nextUpdate, from KDS (cached, single-flight, rate-limited like the
/// VCEK) if KDS serves that ARK's CRL. Only a CRL that verifies under that ARK counts. It names
/// what the ARK issued, the ASK: a revoked ASK refuses every VCEK under it (AMD gives VCEKs no
/// serial of their own on the ARK's CRL). ``RevocationMode`` says what happens without a current one.
extension KeyBrokerService {
    /// The refusal for the evidence's `cert_chain` (as `/attest` decoded it) when revocation says no; nil to go on.
    /// `root`: the SHA-256 of the ARK the verified chain ended in, found among the evidence's
    /// ARK, the tenant's ARK files (`trust`) and AMD's roots. A chain that leaves its ASK out (the
    /// verifier then used AMD's pinned one) is checked with that ASK: the host cannot dodge the
    /// CRL by omitting a certificate. A refusal with ``Refusal/retryAfterSeconds`` is a 503.
    func revocationRefusal(_ chain: [SNPEvidence.CertTableEntry]?, report: AttestationReport, root: [UInt8], trust: TrustPolicy?)
        async throws(BrokerStoreError) -> Refusal?
    {
        let time = now
        var entry: RevocationLists.Entry
        if let known = revocationLists[root], !known.isDue(at: time) {
            entry = known
        } else {
            entry = try await refreshedRevocationList(chain, root: root, trust: trust, previous: revocationLists[root], at: time)
            revocationLists[root] = entry
        }
        guard let list = entry.list else { return unchecked(entry.problem ?? "no CRL", report: report) }
        let chainASK = chain?.first { $0.certType == .ask }?.data
        if let chainASK, chainASK == entry.clearedASK {
            return list.isCurrent(at: time) ? nil : unchecked(entry.problem ?? "the CRL is past its nextUpdate", report: report)
        }
        let intermediates: [X509Certificate]
        if let chainASK {
            guard let ask = try? X509Certificate(derEncoded: chainASK) else { return nil }   // the appraisal parsed it: unreachable
            intermediates = [ask]
        } else {
            intermediates = ((try? AMDRootCertificates.trustStore().roots) ?? []).first { $0.ark.sha256Fingerprint == root }?.intermediates ?? []
        }
        for intermediate in intermediates where list.revokes(intermediate) {
            return Refusal(code: .revoked, reasons: ["the evidence's \(intermediate.subjectCommonName ?? "ASK") is revoked by the CRL of \(entry.issuerName)"],
                           report: report)
        }
        if let chainASK {
            entry.clearedASK = chainASK
            revocationLists[root] = entry
        }
        return list.isCurrent(at: time) ? nil : unchecked(entry.problem ?? "the CRL is past its nextUpdate", report: report)
    }

    /// Without a current CRL: a 503 when revocation is required, else nil (counted).
    func unchecked(_ problem: String, report: AttestationReport) -> Refusal? {
        guard revocationLists.mode == .required else {
            metrics.count("attest", "revocation_unchecked")
            return nil
        }
        return Refusal(code: .revocationUnavailable, reasons: ["revocation is required and there is no current AMD CRL for the chain's ARK: \(problem)"],
                       report: report, retryAfterSeconds: 5)
    }

    /// The store's CRL for the ARK `root`, else KDS's; a store that does not answer throws (503).
    func refreshedRevocationList(_ chain: [SNPEvidence.CertTableEntry]?, root: [UInt8], trust: TrustPolicy?, previous: RevocationLists.Entry?, at time: Int64)
        async throws(BrokerStoreError) -> RevocationLists.Entry
    {
        var entry = RevocationLists.Entry(list: nil, checkedAt: time, retryAt: time + RevocationLists.lifetime, problem: nil)
        guard let ark = revocationIssuer(chain, root: root, trust: trust) else {
            entry.problem = "the ARK the chain ended in is not at hand as a certificate"
            return entry
        }
        let arkName = ark.subjectCommonName ?? "the ARK"
        entry.issuerName = arkName
        guard let generation = arkName.hasPrefix("ARK-") ? ProcessorGeneration(kdsProductName: String(arkName.dropFirst(4))) : nil else {
            entry.problem = "\(arkName) names no product with a CRL"
            return entry
        }
        let document = KDSDocument.revocationList(generation)
        if let bytes = try await storage.kdsDocument(named: document.cacheName) {
            if let known = previous?.list, known.derBytes == bytes {
                entry.list = known
                entry.clearedASK = previous?.clearedASK
            } else {
                do { entry.list = try KDSDocumentCheck.revocationList(bytes, generation, ark: ark) } catch {
                    entry.problem = "the stored \(document) is refused: \(error)"
                }
            }
        } else {
            entry.problem = "no \(document) in the store"
        }
        if let list = entry.list, list.isCurrent(at: time) { return entry }
        if let list = entry.list { entry.problem = "the stored \(document) is past its nextUpdate (\(list.nextUpdate.map(String.init) ?? "none"))" }
        guard let kds, kds.revocationIssuers.contains(root) else { return entry }
        if let previous, time < previous.retryAt, previous.list?.isCurrent(at: time) != true {
            entry.retryAt = previous.retryAt
            entry.problem = previous.problem
            return entry
        }
        do throws(KDSError) {
            // The provider keeps one list per product: it must be this ARK's (the one check the stored list gets too).
            let fetched = try KDSDocumentCheck.revocationList(try await kds.provider.revocationList(generation, ark: ark).derBytes, generation, ark: ark)
            guard fetched.isCurrent(at: time) else { throw KDSError.revocationUnverifiable(reason: "the \(document) from KDS is not current") }
            entry.list = fetched
            entry.problem = nil
            entry.clearedASK = nil
        } catch {
            metrics.count("kds", error.isRetryable ? "unavailable" : "refused")
            entry.problem = (entry.problem.map { $0 + "; " } ?? "") + "KDS: \(error)"
            entry.retryAt = time + Int64(max(error.retryAfterSeconds, 5))
        }
        return entry
    }

    /// The ARK certificate whose SHA-256 is `root`: the evidence's, a tenant's ARK file, or AMD's.
    func revocationIssuer(_ chain: [SNPEvidence.CertTableEntry]?, root: [UInt8], trust: TrustPolicy?) -> X509Certificate? {
        if let der = chain?.first(where: { $0.certType == .ark })?.data, let ark = try? X509Certificate(derEncoded: der), ark.sha256Fingerprint == root {
            return ark
        }
        if let amd = ((try? AMDRootCertificates.trustStore().roots) ?? []).first(where: { $0.ark.sha256Fingerprint == root }) { return amd.ark }
        for path in trust?.arkCertificatePaths ?? [] {
            let arks = (try? X509Certificate.certificates(pemEncoded: trustFiles.readText(path))) ?? []
            if let ark = arks.first(where: { $0.sha256Fingerprint == root }) { return ark }
        }
        return nil
    }
}
