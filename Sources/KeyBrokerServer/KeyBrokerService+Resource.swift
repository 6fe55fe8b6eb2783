import GuestGuardAppraisal
import GuestGuardCrypto
import GuestGuardPlatform
import KeyBrokerProtocol
import SNPABI
import SNPPolicy

extension KeyBrokerService {
    /// `GET /kbs/v0/resource/<repo>/<type>/<tag>`: the resource's policy (trust and report rules)
    /// applied to the session's evidence; the key sealed to the guest's `tee-pubkey`.
    func resource(_ request: BrokerRequest, path: String) async throws(BrokerStoreError) -> BrokerResponse {
        guard let id = ResourceID(path) else {
            refuse("resource", request, session: request.cookie(KBSProtocol.sessionCookieName), resource: path, reason: .malformedRequest, reasons: ["invalid resource path"])
            return problem(404, "InvalidRequestPath", "Invalid Request Path")
        }
        // One step where the store can: the session, the policy text and the key.
        var material: ReleaseMaterial?
        if let sessionID = request.cookie(KBSProtocol.sessionCookieName) {
            material = try await storage.releaseMaterial(session: sessionID, resource: id, now: now)
        }
        guard let sessionID = request.cookie(KBSProtocol.sessionCookieName), let material, let session = material.session,
              case .attested(let report, let teePubkey, let root) = session.state
        else {
            refuse("resource", request, session: request.cookie(KBSProtocol.sessionCookieName), resource: id.description, reason: .noSession, reasons: ["no attested session"])
            return problem(401, "TokenNotFound", "Attestation Token not found")
        }
        let policy: (text: String, policy: SNPVerificationPolicy)
        do { policy = try parsedPolicy(text: try material.policyText.get(), for: id) } catch {
            if case .unavailable = error { throw error }
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reason: Self.refusalReason(error), reasons: [error.description])
            return problem(401, "PluginInternalError", "Plugin internal error")
        }
        let result: AppraisalResult
        do {
            // The chain and signature were verified at /attest; this applies the resource's trust and rules.
            result = try appraiser(trust: policy.policy.trust, rules: policy.policy, cacheKey: "resource:" + policy.text)
                .appraise(alreadyVerified: report, rootFingerprint: root)
        } catch {
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reason: .internalError, reasons: ["policy setup: \(error)"])
            return problem(401, "PolicyEngineError", "Policy engine error")
        }
        guard result.passed else {
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reason: .policyMismatch, reasons: result.lines.filter { $0.hasPrefix("FAIL") })
            return problem(401, "PolicyDeny", "Access denied by policy")
        }
        let tpmViolations = policy.policy.tpm?.violations(quoted: session.tpmPCRs) ?? []
        guard tpmViolations.isEmpty else {
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reason: .policyMismatch, reasons: tpmViolations)
            return problem(401, "PolicyDeny", "Access denied by policy")
        }
        let key: SecretBytes
        do {
            if let prefetched = material.key { key = try prefetched.get() } else { key = try await storage.key(for: id) }
        } catch {
            if case .unavailable = error { throw error }
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reason: Self.refusalReason(error), reasons: [error.description])
            return problem(401, "PluginInternalError", "Plugin internal error")
        }
        let keyID: String
        do { keyID = try await keyFingerprinter().keyID(key) } catch {
            if let failure = error as? BrokerStoreError, case .unavailable = failure { throw failure }
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reason: .internalError, reasons: ["key-id: \(error)"])
            return problem(401, "PluginInternalError", "Plugin internal error")
        }
        let sealed: Response
        do { sealed = try sealer.seal(key, to: teePubkey, keyID: keyID) } catch {
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reason: .internalError, reasons: ["JWE: \(error)"])
            return problem(401, "JweError", "JWE failed")
        }
        var event = AuditEvent(time: timestamp, decision: .release, endpoint: "resource", session: sessionID, resource: id.description,
                               client: request.client, measurement: Hex.encode(report.measurement), chipID: Hex.encode(report.chipID.prefix(8)),
                               keyFingerprint: keyID)
        event.tpm = Self.tpmAuditText(session.tpmPCRs)
        event.measurementLabel = policy.policy.report.measurementLabel(for: report.measurement)
        // The audit log, then the store's audit row: a release either cannot record is not made.
        do { try audit.record(event) } catch {
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reason: .auditUnavailable, reasons: ["audit log: \(error)"])
            return auditUnavailable()
        }
        try await storage.appendAudit(event)
        metrics.count("resource", "released")
        return json(sealed)
    }

    /// A store error at `/resource`: a missing policy or key is an unknown resource.
    static func refusalReason(_ error: BrokerStoreError) -> RefusalReason {
        switch error {
        case .noPolicy, .noSuchResource: return .unknownResource
        case .invalidPolicy, .implicitlyOpenPolicy: return .policyMismatch
        default: return .internalError
        }
    }

    /// The resource's policy, parsed once per distinct text (the text is read every time, so a
    /// changed policy applies at the next release).
    func parsedPolicy(for id: ResourceID) async throws(BrokerStoreError) -> (text: String, policy: SNPVerificationPolicy) {
        try parsedPolicy(text: try await storage.policyText(for: id), for: id)
    }

    func parsedPolicy(text: String, for id: ResourceID) throws(BrokerStoreError) -> (text: String, policy: SNPVerificationPolicy) {
        if let cached = parsedPolicies.withLock({ $0[text] }) { return (text, cached) }
        let parsed = try BrokerStore.parsePolicy(text, for: id)
        parsedPolicies.withLock { cache in
            if cache.count >= 256 { cache.removeAll() }
            cache[text] = parsed
        }
        return (text, parsed)
    }
}

