import GuestGuardAppraisal
import GuestGuardCrypto
import KeyBrokerProtocol
import SNPABI
import SNPPolicy

extension KeyBrokerService {
    static let attestFailed = "Attestation error: RCAR handshake Attest failed"

    /// `POST /kbs/v0/attest`: the nonce (single use), the REPORT_DATA binding, and the AMD chain and
    /// signature against the union of every resource policy's trust anchors.
    func attest(_ request: BrokerRequest) -> BrokerResponse {
        guard let id = request.cookie(KBSProtocol.sessionCookieName) else {
            refuse("attest", request, session: nil, reasons: ["no kbs-session-id cookie"])
            return problem(401, "AttestationError", Self.attestFailed + ": cookie not found")
        }
        guard let session = sessions.session(id, now: now) else {
            refuse("attest", request, session: id, reasons: ["unknown or expired session"])
            return problem(401, "AttestationError", Self.attestFailed + ": session unknown or expired")
        }
        guard let nonce = sessions.takeNonce(id, now: now) else {
            refuse("attest", request, session: id, reasons: ["the session's nonce was already used"])
            return problem(401, "AttestationError", Self.attestFailed + ": nonce already used")
        }
        switch verify(request.body, nonce: nonce) {
        case .failure(let refusal):
            refuse("attest", request, session: id, report: refusal.report, reasons: refusal.reasons)
            return problem(401, "AttestationError", Self.attestFailed + ": " + (refusal.reasons.first ?? "refused"))
        case .success(let (evidence, report, key, root)):
            // The TPM quote (if any) travels in additional_evidence, which REPORT_DATA binds: verify it now.
            let quoted: [Int: [UInt8]]?
            switch verifyTPMQuote(request.body, nonce: nonce, teePubkey: key) {
            case .failure(let refusal):
                refuse("attest", request, session: id, report: report, reasons: refusal.reasons)
                return problem(401, "AttestationError", Self.attestFailed + ": " + (refusal.reasons.first ?? "refused"))
            case .success(let pcrs): quoted = pcrs
            }
            var attested = session
            attested.state = .attested(evidence: evidence, report: report, teePubkey: key, root: root)
            attested.tpmPCRs = quoted
            sessions.update(attested)
            metrics.increment("attest:ok")
            var event = AuditEvent(time: timestamp, decision: .attested, endpoint: "attest", session: id, client: request.client,
                                   measurement: Hex.encode(report.measurement), chipID: Hex.encode(report.chipID.prefix(8)))
            event.tpm = Self.tpmAuditText(quoted)
            audit.record(event)
            let token = Hex.encode((try? random.bytes(16)) ?? [])
            return json(TokenResponse(token: token), headers: [sessionCookie(attested)])
        }
    }

    struct Refusal: Error {
        var reasons: [String]
        var report: AttestationReport?
    }

    /// Everything `/attest` checks, in order; the first failing step ends it with its reasons.
    func verify(_ body: [UInt8], nonce: String) -> Result<(AttestationEvidence, AttestationReport, EphemeralPublicKey, [UInt8]), Refusal> {
        let attestation: Attestation
        do { attestation = try Attestation(jsonBytes: body) } catch { return .failure(Refusal(reasons: ["malformed attestation: \(error)"])) }
        guard attestation.runtimeData.nonce == nonce else {
            return .failure(Refusal(reasons: ["runtime-data.nonce is not this session's nonce (replayed or stale evidence)"]))
        }
        do { try attestation.runtimeData.teePubkey.validate() } catch { return .failure(Refusal(reasons: ["tee-pubkey: \(error)"])) }
        guard attestation.initData == nil else {
            return .failure(Refusal(reasons: ["init-data is not supported by this broker: HOST_DATA binding is configured per resource policy"]))
        }
        let evidence: AttestationEvidence
        let reportBytes: [UInt8]
        do {
            let snp = try attestation.snpEvidence()
            reportBytes = try snp.reportBytes()
            func certificate(_ wanted: (SNPEvidence.CertType) -> Bool) -> [UInt8]? { snp.certChain?.first { wanted($0.certType) }?.data }
            evidence = AttestationEvidence(report: reportBytes, vek: certificate { $0 == .vcek } ?? certificate { $0 == .vlek },
                                           intermediate: certificate { $0 == .ask }, ark: certificate { $0 == .ark })
        } catch {
            return .failure(Refusal(reasons: ["tee-evidence: \(error)"]))
        }
        let report: AttestationReport
        do { report = try AttestationReport(bytes: reportBytes) } catch { return .failure(Refusal(reasons: ["malformed report: \(error)"])) }
        let expected: [UInt8]
        do { expected = try attestation.expectedReportData { (try? HashFunction.sha384.hash($0)) ?? [] } } catch {
            return .failure(Refusal(reasons: ["runtime-data: \(error)"], report: report))
        }
        guard expected == report.reportData else {
            return .failure(Refusal(reasons: ["REPORT_DATA does not bind this nonce and tee-pubkey (expected \(Hex.encode(expected.prefix(8)))…, found \(Hex.encode(report.reportData.prefix(8)))…)"], report: report))
        }
        let result: AppraisalResult
        do {
            let trust = try unionTrust()
            result = try appraiser(trust: trust, rules: nil, cacheKey: "attest:" + trust.cacheKey).appraise(evidence, at: now)
        } catch {
            return .failure(Refusal(reasons: ["cannot set up verification: \(error)"], report: report))
        }
        guard result.passed, let root = result.verification?.rootFingerprint else {
            return .failure(Refusal(reasons: result.lines.filter { $0.hasPrefix("FAIL") }, report: report))
        }
        return .success((evidence, report, attestation.runtimeData.teePubkey, root))
    }

    /// Every trust anchor any resource policy grants (AMD's roots if any policy keeps them).
    func unionTrust() throws -> TrustPolicy {
        var union = TrustPolicy(includesAMDRoots: false)
        for entry in try store.list() where entry.hasPolicy {
            let trust = try store.policy(for: entry.id).policy.trust
            union.includesAMDRoots = union.includesAMDRoots || trust.includesAMDRoots
            union.arkCertificatePaths += trust.arkCertificatePaths.filter { !union.arkCertificatePaths.contains($0) }
            union.arkFingerprints += trust.arkFingerprints.filter { !union.arkFingerprints.contains($0) }
        }
        if !union.includesAMDRoots && union.arkCertificatePaths.isEmpty && union.arkFingerprints.isEmpty { union.includesAMDRoots = true }
        return union
    }
}

extension TrustPolicy {
    var cacheKey: String {
        "\(includesAMDRoots)|\(arkCertificatePaths.joined(separator: ","))|\(arkFingerprints.map { Hex.encode($0) }.joined(separator: ","))"
    }
}
