import GuestGuardAppraisal
import GuestGuardCrypto
import KDSCollateral
import KeyBrokerProtocol
import SNPABI
import SNPPolicy

extension KeyBrokerService {
    static let attestFailed = "Attestation error: RCAR handshake Attest failed"

    /// `POST /kbs/v0/attest`: the REPORT_DATA binding, the AMD chain and signature against the
    /// union of every resource policy's trust anchors, then the nonce (single use) consumed and the
    /// evidence recorded in one store step (``BrokerStorage/commitAttestation(_:nonce:policyGeneration:now:)``:
    /// one round trip on PostgreSQL). The evidence is checked against the nonce it binds; the store
    /// step succeeds only when that is the session's nonce, for exactly one caller across replicas.
    /// A refused attempt consumes the nonce too (``refuseAttest(_:session:_:answer:)``).
    func attest(_ request: BrokerRequest) async throws(BrokerStoreError) -> BrokerResponse {
        guard let id = request.cookie(KBSProtocol.sessionCookieName) else {
            refuse("attest", request, session: nil, reason: .noSession, reasons: ["no kbs-session-id cookie"])
            return problem(401, "AttestationError", Self.attestFailed + ": cookie not found")
        }
        let attestation: Attestation
        do { attestation = try Attestation(jsonBytes: request.body) } catch {
            return try await refuseAttest(request, session: id, Refusal(code: .malformedRequest, reasons: ["malformed attestation: \(error)"]))
        }
        // The trust union of the policy generation this replica knows (read once if it knows none).
        // It may be stale (a policy changed on another replica): the store step refuses to commit
        // under a stale generation, and a refusal first asks whether the generation moved; either
        // way the evidence is verified again under the current union.
        var generation: String, rechecked = false
        if let known = trustUnion.withLock({ $0?.generation }) { generation = known } else {
            generation = try await storage.policyGeneration()
            rechecked = true
        }
        for _ in 0..<3 {
            let verified: (report: AttestationReport, key: EphemeralPublicKey, root: [UInt8], pcrs: [Int: [UInt8]]?)
            switch try await verifyAttestation(attestation, generation: generation) {
            case .failure(let refused):
                if !rechecked {
                    rechecked = true
                    let current = try await storage.policyGeneration()
                    if current != generation {
                        generation = current
                        continue
                    }
                }
                return try await refuseAttest(request, session: id, refused.refusal, answer: refused.answer)
            case .success(let outcome): verified = outcome
            }
            var attested = BrokerSession(id: id, expires: 0, state: .attested(report: verified.report, teePubkey: verified.key, root: verified.root))
            attested.tpmPCRs = verified.pcrs
            switch try await storage.commitAttestation(attested, nonce: attestation.runtimeData.nonce, policyGeneration: generation, now: now) {
            case .attested(let expires):
                attested.expires = expires
            case .unknownSession:
                return unknownAttestSession(request, session: id)
            case .alreadyUsed:
                return replayedAttestNonce(request, session: id)
            case .wrongNonce:
                refuse("attest", request, session: id, report: verified.report, reason: .bindingMismatch,
                       reasons: ["runtime-data.nonce is not this session's nonce (replayed or stale evidence)"])
                return problem(401, "AttestationError", Self.attestFailed + ": runtime-data.nonce is not this session's nonce (replayed or stale evidence)")
            case .policyChanged(let current):
                generation = current
                continue
            }
            var event = AuditEvent(time: timestamp, decision: .attested, endpoint: "attest", session: id, client: request.client,
                                   measurement: Hex.encode(verified.report.measurement), chipID: Hex.encode(verified.report.chipID.prefix(8)))
            event.tpm = Self.tpmAuditText(verified.pcrs)
            // Audited before the answer; an attestation that cannot be audited is withdrawn (the session is consumed).
            do { try audit.record(event) } catch {
                try await storage.withdrawAttestation(id)
                refuse("attest", request, session: id, report: verified.report, reason: .auditUnavailable, reasons: ["audit log: \(error)"])
                return auditUnavailable()
            }
            metrics.count("attest", "ok")
            let token = Hex.encode((try? random.bytes(16)) ?? [])
            return json(TokenResponse(token: token), headers: [sessionCookie(attested)])
        }
        // The policies kept changing under the verifications: nothing consumed, the guest retries.
        refuse("attest", request, session: id, reason: .storeUnavailable, reasons: ["the policies changed during the attestation"])
        return problem(503, "PolicyChanging", Self.attestFailed + ": the policies changed during the attestation: retry", headers: [("Retry-After", "1")])
    }

    /// Everything `/attest` checks before the store step, under the trust union of `generation`:
    /// the verified report, tee-pubkey, root and TPM PCRs, or the refusal (and its answer when not a 401).
    func verifyAttestation(_ attestation: Attestation, generation: String)
        async throws(BrokerStoreError) -> Result<(report: AttestationReport, key: EphemeralPublicKey, root: [UInt8], pcrs: [Int: [UInt8]]?), AttestRefusal>
    {
        // The trust union comes from the store: a store that does not answer is a 503, not a refusal.
        let trust: Result<TrustPolicy, BrokerStoreError>
        do { trust = .success(try await unionTrust(generation: generation)) } catch {
            if case .unavailable = error { throw error }
            trust = .failure(error)
        }
        let nonce = attestation.runtimeData.nonce
        var outcome = verify(attestation, nonce: nonce, trust: trust)
        var fromKDS = false
        // No cert_chain: the VCEK (with its chain and CRL) from KDS, then the same verification.
        if case .failure(let refusal) = outcome, refusal.needsCollateral, let report = refusal.report, let kds {
            switch await kdsCollateral(for: report, using: kds) {
            case .success(let collateral):
                fromKDS = true
                outcome = verify(attestation, nonce: nonce, trust: trust, collateral: collateral)
            case .failure(let error) where error.isRetryable:
                return .failure(AttestRefusal(
                    refusal: Refusal(code: .kdsUnavailable, reasons: ["no cert_chain and KDS is unavailable: \(error)"], report: report),
                    answer: problem(503, "KDSUnavailable", Self.attestFailed + ": the VCEK could not be fetched from AMD's KDS: retry",
                                    headers: [("Retry-After", String(error.retryAfterSeconds))])))
            case .failure(let error):
                outcome = .failure(Refusal(code: { if case .revoked = error { return .revoked } else { return .noCollateral } }(), reasons: ["no cert_chain and no usable VCEK from KDS: \(error)"], report: report))
            }
        }
        switch outcome {
        case .failure(let refusal):
            return .failure(AttestRefusal(refusal: refusal))
        case .success(let (report, key, root, chain)):
            // The evidence's own cert_chain: AMD's CRL from the store or KDS (KDS collateral was checked against it already).
            if !fromKDS, let refusal = try await revocationRefusal(chain, report: report, root: root, trust: try? trust.get()) {
                let answer = refusal.retryAfterSeconds.map { seconds in
                    problem(503, "RevocationUnavailable", Self.attestFailed + ": " + (refusal.reasons.first ?? "no current CRL") + ": retry",
                            headers: [("Retry-After", String(seconds))])
                }
                return .failure(AttestRefusal(refusal: refusal, answer: answer))
            }
            // The TPM quote (if any) travels in additional_evidence, which REPORT_DATA binds: verify it now.
            switch verifyTPMQuote(attestation, nonce: nonce, teePubkey: key) {
            case .failure(let refusal): return .failure(AttestRefusal(refusal: refusal))
            case .success(let pcrs): return .success((report, key, root, pcrs))
            }
        }
    }

    /// Why `/attest` refuses, and its answer when not the 401 naming the first reason.
    struct AttestRefusal: Error {
        var refusal: Refusal
        var answer: BrokerResponse? = nil
    }

    /// Ends an `/attest` that will not attest: the session's nonce is consumed all the same (one
    /// attempt per nonce, on any replica), and a session that is unknown or whose nonce was used is
    /// refused as such first. `answer`: the response when not the 401 naming the first reason.
    func refuseAttest(_ request: BrokerRequest, session id: String, _ refusal: Refusal, answer: BrokerResponse? = nil)
        async throws(BrokerStoreError) -> BrokerResponse
    {
        switch try await storage.consumeNonce(id, now: now) {
        case .unknownSession: return unknownAttestSession(request, session: id)
        case .alreadyUsed: return replayedAttestNonce(request, session: id)
        case .taken: break
        }
        refuse("attest", request, session: id, report: refusal.report, reason: refusal.code, reasons: refusal.reasons)
        return answer ?? problem(401, "AttestationError", Self.attestFailed + ": " + (refusal.reasons.first ?? "refused"))
    }

    func unknownAttestSession(_ request: BrokerRequest, session id: String) -> BrokerResponse {
        refuse("attest", request, session: id, reason: .noSession, reasons: ["unknown or expired session"])
        return problem(401, "AttestationError", Self.attestFailed + ": session unknown or expired")
    }

    func replayedAttestNonce(_ request: BrokerRequest, session id: String) -> BrokerResponse {
        refuse("attest", request, session: id, reason: .replayedNonce, reasons: ["the session's nonce was already used"])
        return problem(401, "AttestationError", Self.attestFailed + ": nonce already used")
    }

    struct Refusal: Error {
        /// The `reason` label of the refusal counter.
        var code: RefusalReason
        var reasons: [String]
        var report: AttestationReport?
        /// The evidence is bound and parsed but has no VCEK/VLEK: KDS may supply it.
        var needsCollateral = false
        /// A refusal the guest may retry (503 with this `Retry-After`), e.g. no current CRL yet.
        var retryAfterSeconds: Int? = nil
    }

    /// Everything `/attest` checks, in order; the first failing step ends it with its reasons.
    /// `collateral` (from KDS) stands in for a missing `cert_chain`. On success: the report, the
    /// `tee-pubkey`, the SHA-256 of the ARK reached, and the evidence's `cert_chain` as decoded
    /// here (the revocation check reads it from this one decoding).
    func verify(_ attestation: Attestation, nonce: String, trust: Result<TrustPolicy, BrokerStoreError>, collateral: VCEKCollateral? = nil)
        -> Result<(AttestationReport, EphemeralPublicKey, [UInt8], [SNPEvidence.CertTableEntry]?), Refusal>
    {
        guard attestation.runtimeData.nonce == nonce else {
            return .failure(Refusal(code: .bindingMismatch, reasons: ["runtime-data.nonce is not this session's nonce (replayed or stale evidence)"]))
        }
        do { try attestation.runtimeData.teePubkey.validate() } catch { return .failure(Refusal(code: .bindingMismatch, reasons: ["tee-pubkey: \(error)"])) }
        guard attestation.initData == nil else {
            return .failure(Refusal(code: .malformedRequest, reasons: ["init-data is not supported by this broker: HOST_DATA binding is configured per resource policy"]))
        }
        // One parse: the evidence members make the report bytes, which SNPABI parses strictly.
        let evidence: AttestationEvidence
        let report: AttestationReport
        let chain: [SNPEvidence.CertTableEntry]?
        do {
            let snp = try attestation.snpEvidence()
            report = snp.attestationReport
            chain = snp.certChain
            func certificate(_ wanted: (SNPEvidence.CertType) -> Bool) -> [UInt8]? { snp.certChain?.first { wanted($0.certType) }?.data }
            if let collateral {
                evidence = AttestationEvidence(report: report.bytes, vek: collateral.vcek.derBytes, intermediate: collateral.ask.derBytes,
                                               ark: collateral.ark.derBytes)
            } else {
                evidence = AttestationEvidence(report: report.bytes, vek: certificate { $0 == .vcek } ?? certificate { $0 == .vlek },
                                               intermediate: certificate { $0 == .ask }, ark: certificate { $0 == .ark })
            }
        } catch {
            return .failure(Refusal(code: .malformedEvidence, reasons: ["tee-evidence: \(error)"]))
        }
        let expected: [UInt8]
        do { expected = try attestation.expectedReportData { (try? HashFunction.sha384.hash($0)) ?? [] } } catch {
            return .failure(Refusal(code: .bindingMismatch, reasons: ["runtime-data: \(error)"], report: report))
        }
        guard expected == report.reportData else {
            return .failure(Refusal(code: .bindingMismatch, reasons: ["REPORT_DATA does not bind this nonce and tee-pubkey (expected \(Hex.encode(expected.prefix(8)))…, found \(Hex.encode(report.reportData.prefix(8)))…)"], report: report))
        }
        guard evidence.vek != nil else {
            return .failure(Refusal(code: .noCollateral, reasons: ["no VCEK/VLEK certificate came with the report (no cert_chain)" + (kds == nil ? " and KDS fetching is off" : "")],
                                    report: report, needsCollateral: true))
        }
        let result: AppraisalResult
        do {
            let trust = try trust.get()
            result = try appraiser(trust: trust, rules: nil, cacheKey: "attest:" + trust.cacheKey).appraise(evidence, parsed: report, at: now)
        } catch {
            return .failure(Refusal(code: .internalError, reasons: ["cannot set up verification: \(error)"], report: report))
        }
        guard result.passed, let root = result.verification?.rootFingerprint else {
            return .failure(Refusal(code: .badSignature, reasons: result.lines.filter { $0.hasPrefix("FAIL") }, report: report))
        }
        // The CRL that cleared the KDS chain's ASK was verified under the KDS chain's ARK: it must be the root reached.
        if let collateral, root != collateral.ark.sha256Fingerprint {
            return .failure(Refusal(code: .badSignature, reasons: ["the VCEK from KDS chains to another ARK than the one whose CRL was checked"], report: report))
        }
        return .success((report, attestation.runtimeData.teePubkey, root, chain))
    }

    /// Every trust anchor any resource policy grants (AMD's roots if any policy keeps them),
    /// recomputed only when the store's policy generation changes (``BrokerStore/policyGeneration()``),
    /// not from every policy file on every `/attest`.
    /// `generation`: the store's policy generation when the caller already read it.
    func unionTrust(generation known: String? = nil) async throws(BrokerStoreError) -> TrustPolicy {
        let generation: String
        if let known { generation = known } else { generation = try await storage.policyGeneration() }
        if let cached = trustUnion.withLock({ $0 }), cached.generation == generation { return cached.trust }
        var union = TrustPolicy(includesAMDRoots: false)
        for entry in try await storage.list() where entry.hasPolicy {
            let trust = try await parsedPolicy(for: entry.id).policy.trust
            union.includesAMDRoots = union.includesAMDRoots || trust.includesAMDRoots
            union.arkCertificatePaths += trust.arkCertificatePaths.filter { !union.arkCertificatePaths.contains($0) }
            union.arkFingerprints += trust.arkFingerprints.filter { !union.arkFingerprints.contains($0) }
        }
        if !union.includesAMDRoots && union.arkCertificatePaths.isEmpty && union.arkFingerprints.isEmpty { union.includesAMDRoots = true }
        trustUnion.withLock { $0 = (generation, union) }
        return union
    }
}

extension TrustPolicy {
    var cacheKey: String {
        "\(includesAMDRoots)|\(arkCertificatePaths.joined(separator: ","))|\(arkFingerprints.map { Hex.encode($0) }.joined(separator: ","))"
    }
}
