import GuestGuardAppraisal
import GuestGuardCrypto
import GuestGuardPlatform
import KeyBrokerProtocol
import SNPABI
import SNPPolicy

extension KeyBrokerService {
    /// `GET /kbs/v0/resource/<repo>/<type>/<tag>`: the resource's policy (trust and report rules)
    /// applied to the session's evidence; the key sealed to the guest's `tee-pubkey`.
    func resource(_ request: BrokerRequest, path: String) -> BrokerResponse {
        guard let id = ResourceID(path) else {
            refuse("resource", request, session: request.cookie(KBSProtocol.sessionCookieName), resource: path, reasons: ["invalid resource path"])
            return problem(404, "InvalidRequestPath", "Invalid Request Path")
        }
        guard let sessionID = request.cookie(KBSProtocol.sessionCookieName), let session = sessions.session(sessionID, now: now),
              case .attested(_, let report, let teePubkey, let root) = session.state
        else {
            refuse("resource", request, session: request.cookie(KBSProtocol.sessionCookieName), resource: id.description, reasons: ["no attested session"])
            return problem(401, "TokenNotFound", "Attestation Token not found")
        }
        let policy: (text: String, policy: SNPVerificationPolicy)
        do { policy = try store.policy(for: id) } catch {
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reasons: [error.description])
            return problem(401, "PluginInternalError", "Plugin internal error")
        }
        let result: AppraisalResult
        do {
            // The chain and signature were verified at /attest; this applies the resource's trust and rules.
            result = try appraiser(trust: policy.policy.trust, rules: policy.policy, cacheKey: "resource:" + policy.text)
                .appraise(alreadyVerified: report, rootFingerprint: root)
        } catch {
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reasons: ["policy setup: \(error)"])
            return problem(401, "PolicyEngineError", "Policy engine error")
        }
        guard result.passed else {
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reasons: result.lines.filter { $0.hasPrefix("FAIL") })
            return problem(401, "PolicyDeny", "Access denied by policy")
        }
        let tpmViolations = policy.policy.tpm?.violations(quoted: session.tpmPCRs) ?? []
        guard tpmViolations.isEmpty else {
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reasons: tpmViolations)
            return problem(401, "PolicyDeny", "Access denied by policy")
        }
        let key: SecretBytes
        do { key = try store.key(for: id) } catch {
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reasons: [error.description])
            return problem(401, "PluginInternalError", "Plugin internal error")
        }
        let keyID: String
        do { keyID = try keyFingerprinter().keyID(key) } catch {
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reasons: ["key-id: \(error)"])
            return problem(401, "PluginInternalError", "Plugin internal error")
        }
        let sealed: Response
        do { sealed = try sealer.seal(key, to: teePubkey, keyID: keyID) } catch {
            refuse("resource", request, session: sessionID, resource: id.description, report: report, reasons: ["JWE: \(error)"])
            return problem(401, "JweError", "JWE failed")
        }
        metrics.increment("resource:released")
        var event = AuditEvent(time: timestamp, decision: .release, endpoint: "resource", session: sessionID, resource: id.description,
                               client: request.client, measurement: Hex.encode(report.measurement), chipID: Hex.encode(report.chipID.prefix(8)),
                               keyFingerprint: keyID)
        event.tpm = Self.tpmAuditText(session.tpmPCRs)
        event.measurementLabel = policy.policy.report.measurementLabel(for: report.measurement)
        audit.record(event)
        return json(sealed)
    }
}
