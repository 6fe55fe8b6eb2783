import CanonicalJSON
import SNPABI

/// SNP evidence as Trustee's verifier decodes it from `tee-evidence.primary_evidence`
/// (TR `deps/verifier/src/snp/mod.rs:38-42`; guest side GC `attester/src/snp/mod.rs:23-27`):
///
/// ```
/// {"attestation_report": <sev AttestationReport, spec §1.2>, "cert_chain": [<CertTableEntry>] | null}
/// ```
///
/// The report is SNPABI's ``AttestationReport``: only SNPABI knows offsets (go-sev-guest's rule
/// for `abi`). The JSON members map to and from its fields (`SNPEvidence+JSON.swift`); decoding
/// builds the 1184 bytes from them and parses those with the one strict parser, so the bytes the
/// signature is checked over are exactly what sev's `Encoder` rebuilds on Trustee's side (spec §1.8).
public struct SNPEvidence: Hashable, Sendable {
    /// The report, parsed; its ``AttestationReport/bytes`` are what the signature covers.
    public let attestationReport: AttestationReport
    /// The host-provided certificates (VCEK/VLEK, ASK, ARK …), or nil; then the verifier
    /// fetches the VCEK itself (spec §1.3).
    public let certChain: [CertTableEntry]?

    /// Evidence for a parsed report that has a JSON form: a decided TCB layout
    /// (``AttestationReport/tcbLayout``) and zero reserved bytes in all four TCB_VERSIONs.
    public init(attestationReport report: AttestationReport, certChain: [CertTableEntry]?) throws(SNPEvidenceError) {
        guard let layout = report.tcbLayout else {
            if report.version >= 3, let family = report.cpuidFamilyID, let model = report.cpuidModelID {
                throw .unknownCPU(family: family, model: model)
            }
            throw .maskedChipID
        }
        for (field, tcb) in Self.tcbFields(report) where tcb.rawValue & layout.reservedMask != 0 {
            throw .reservedTCBBytes(field: field, value: tcb.rawValue)
        }
        self.attestationReport = report
        self.certChain = certChain
    }

    /// The JSON form of a raw report (as `SNP_GET_REPORT`/configfs-tsm return it): SNPABI's
    /// strict parse, then the checks of ``init(attestationReport:certChain:)``.
    public init(reportBytes: [UInt8], certChain: [CertTableEntry]?) throws(SNPEvidenceError) {
        let report: AttestationReport
        do { report = try AttestationReport(bytes: reportBytes) } catch { throw .report(error) }
        try self.init(attestationReport: report, certChain: certChain)
    }

    /// The 1184 report bytes this evidence stands for.
    public var reportBytes: [UInt8] { attestationReport.bytes }

    /// The four TCB_VERSION members with their sev JSON names, in report order.
    static func tcbFields(_ report: AttestationReport) -> [(String, TCBVersion)] {
        [("current_tcb", report.currentTCB), ("reported_tcb", report.reportedTCB),
         ("committed_tcb", report.committedTCB), ("launch_tcb", report.launchTCB)]
    }
}

extension SNPEvidence: Codable {
    /// Decodes through `init(json:)` (one decoder for the evidence, without the Codable bridge).
    public init(from decoder: any Decoder) throws {
        try self.init(json: try JSONValue(from: decoder))
    }

    /// Encodes `json()`; `cert_chain` is `null` when nil, as serde writes an `Option`.
    public func encode(to encoder: any Encoder) throws {
        try json().encode(to: encoder)
    }
}
