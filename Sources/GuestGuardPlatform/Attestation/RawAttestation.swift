import SNPABI

/// An SNP attestation report exactly as an interface returned it, before any parsing.
///
/// Parsing (`SNPABI`) and verification (`SNPVerifier`) are separate steps; this value only
/// carries bytes and where they came from.
public struct RawAttestation: Sendable, Hashable {
    /// Size of ATTESTATION_REPORT (SEV-SNP firmware ABI #56860, Table "ATTESTATION_REPORT"): 0x4A0 bytes.
    public static let reportByteCount = AttestationReport.byteCount

    /// The ATTESTATION_REPORT, 0x4A0 bytes, unparsed (for `/dev/sev-guest`: the bytes after the
    /// 32-byte MSG_REPORT_RSP header; for configfs-tsm: `outblob`).
    public let report: [UInt8]
    /// The GHCB certificate table (GHCB #56421 §4.1.8.1): configfs-tsm `auxblob`, or the
    /// SNP_GET_EXT_REPORT certificate buffer cut to the extent of its entries. Nil when the host
    /// supplied no certificates.
    public let certificates: [UInt8]?
    /// The interface that produced the report: `"configfs-tsm"`, `"sev-guest"` or `"simulator"`
    /// (see `AttestationInterface`).
    public let provider: String

    public init(report: [UInt8], certificates: [UInt8]?, provider: String) {
        self.report = report
        self.certificates = certificates
        self.provider = provider
    }
}
