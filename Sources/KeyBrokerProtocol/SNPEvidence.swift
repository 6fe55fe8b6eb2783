import CanonicalJSON

/// SNP evidence as Trustee's verifier decodes it from `tee-evidence.primary_evidence`
/// (TR `deps/verifier/src/snp/mod.rs:38-42`; guest side GC `attester/src/snp/mod.rs:23-27`):
///
/// ```
/// {"attestation_report": <sev AttestationReport, spec §1.2>, "cert_chain": [<CertTableEntry>] | null}
/// ```
///
/// It converts to and from the raw 1184-byte report without SNPABI: `init(reportBytes:certChain:)`
/// reads the fields at their documented offsets; `reportBytes()` rebuilds the bytes exactly as
/// the verifier does (sev's `Encoder`, spec §1.8), which is what the report signature covers.
public struct SNPEvidence: Codable, Hashable, Sendable {
    public let attestationReport: Report
    /// The host-provided certificates (VCEK/VLEK, ASK, ARK …), or nil; then the verifier
    /// fetches the VCEK itself (spec §1.3).
    public let certChain: [CertTableEntry]?

    public init(attestationReport: Report, certChain: [CertTableEntry]?) {
        self.attestationReport = attestationReport
        self.certChain = certChain
    }

    /// The JSON form of a raw report (as `SNP_GET_REPORT`/configfs-tsm return it).
    ///
    /// Rejects a report whose size or version is wrong, whose reserved bytes before the end
    /// of the signature are not zero (`SNPEvidenceError.reservedNonZero`, with the offset), or
    /// whose TCB layout cannot be determined. The 368 reserved bytes after the signature are
    /// not covered by it and have no JSON form; like sev, they are ignored here and rebuilt as
    /// zeros.
    public init(reportBytes: [UInt8], certChain: [CertTableEntry]?) throws(SNPEvidenceError) {
        self.init(attestationReport: try Report(reportBytes: reportBytes), certChain: certChain)
    }

    /// The 1184 report bytes this evidence stands for (zeros in every reserved area).
    public func reportBytes() throws(SNPEvidenceError) -> [UInt8] {
        try attestationReport.reportBytes()
    }

    enum CodingKeys: String, CodingKey {
        case attestationReport = "attestation_report"
        case certChain = "cert_chain"
    }

    /// Decodes through `init(json:)` (one decoder for the evidence, without the Codable bridge).
    public init(from decoder: any Decoder) throws {
        try self.init(json: try JSONValue(from: decoder))
    }

    /// Writes `cert_chain` as `null` when nil, as serde does for `Option`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(attestationReport, forKey: .attestationReport)
        try container.encode(certChain, forKey: .certChain)
    }
}
