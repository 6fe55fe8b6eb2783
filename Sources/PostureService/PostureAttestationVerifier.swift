import CanonicalJSON
import GuestGuardAppraisal
import GuestGuardCore
import GuestGuardPosture
import SNPABI

/// Tenant side of `/v1/attestation`: appraises the report as `guestguard verify` does, then
/// checks that REPORT_DATA binds the nonce the tenant sent and the document that came back
/// (`AttestationBinding`), that the document is canonical `guestguard.status/v1`, and that its
/// overall posture is no worse than `acceptedPosture` (ok, by default).
public struct PostureAttestationVerifier: Sendable {
    public let appraiser: ReportAppraiser
    /// The worst overall state that still passes the `posture` check.
    public let acceptedPosture: PostureState

    public init(appraiser: ReportAppraiser, acceptedPosture: PostureState = .ok) {
        self.appraiser = appraiser
        self.acceptedPosture = acceptedPosture
    }

    /// - Parameters:
    ///   - body: the response body as received.
    ///   - nonce: the nonce this tenant sent (never the one echoed back).
    ///   - time: Unix seconds at which certificate validity is checked.
    public func verify(body: [UInt8], nonce: [UInt8], at time: Int64) -> PostureVerification {
        let response: PostureAttestationResponse
        do { response = try PostureAttestationResponse(parsing: body) } catch {
            return PostureVerification(appraisal: nil, checks: [.init("response", false, error.description)], document: nil)
        }
        var checks: [PostureVerification.Check] = []
        checks.append(response.nonce == nonce
            ? .init("nonce", true, "the response echoes our \(nonce.count)-byte nonce")
            : .init("nonce", false, "the response carries another nonce than ours"))

        let evidence: AttestationEvidence
        if let tableBytes = response.certificateTable, let table = try? CertificateTable(bytes: tableBytes) {
            evidence = AttestationEvidence(report: response.report, certificateTable: table)
        } else {
            evidence = AttestationEvidence(report: response.report, vek: nil)
            if response.certificateTable != nil { checks.append(.init("response", false, "the certificate table is malformed")) }
        }
        let appraisal = appraiser.appraise(evidence, at: time)

        if let report = appraisal.report {
            do {
                let expected = try AttestationBinding.reportData(nonce: nonce, document: response.document)
                checks.append(report.reportData == expected
                    ? .init("binding", true, "REPORT_DATA = SHA-384(nonce ‖ SHA-384(document)) ‖ 0¹⁶")
                    : .init("binding", false, "REPORT_DATA does not bind our nonce and this document"))
            } catch {
                checks.append(.init("binding", false, "cannot compute the binding: \(error)"))
            }
        } else {
            checks.append(.init("binding", false, "no parsed report to check"))
        }

        var document: JSONValue?
        do {
            let parsed = try JSONParser.parse(response.document)
            document = parsed
            let canonical = (try? parsed.canonicalBytes()) == response.document
            let schema = parsed["schema"]?.stringValue
            if schema != PostureSnapshot.schema {
                checks.append(.init("document", false, "schema is \(schema ?? "missing"), expected \(PostureSnapshot.schema)"))
            } else if !canonical {
                checks.append(.init("document", false, "the document is not JCS-canonical"))
            } else {
                checks.append(.init("document", true, "\(PostureSnapshot.schema), \(response.document.count) bytes, canonical"))
            }
            let overall = parsed["overall"]?.stringValue ?? "missing"
            let acceptable = PostureState(rawValue: overall).map { $0 <= acceptedPosture } ?? false
            let limit = acceptedPosture == .ok ? "" : ", accepting up to \(acceptedPosture.rawValue)"
            checks.append(.init("posture", acceptable, "overall \(overall)" + Self.notOK(parsed) + limit))
        } catch {
            checks.append(.init("document", false, "not JSON: \(error)"))
        }
        return PostureVerification(appraisal: appraisal, checks: checks, document: document)
    }

    /// ` (item: state, …)` for the items that are not ok.
    static func notOK(_ document: JSONValue) -> String {
        let items = (document["items"]?.arrayValue ?? []).compactMap { item -> String? in
            guard let state = item["state"]?.stringValue, state != "ok" else { return nil }
            return "\(item["id"]?.stringValue ?? "?"): \(state)"
        }
        return items.isEmpty ? "" : " (" + items.joined(separator: ", ") + ")"
    }
}
