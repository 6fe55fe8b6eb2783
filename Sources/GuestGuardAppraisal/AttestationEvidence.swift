import GuestGuardCrypto
import SNPABI

/// What a verifier receives: the raw report and the certificates that came with it (from the
/// extended report's certificate table, KBS `cert_chain`, or files), none of them trusted yet.
public struct AttestationEvidence: Sendable {
    public let report: [UInt8]
    /// The VCEK or VLEK, DER.
    public let vek: [UInt8]?
    /// The ASK or ASVK, DER (optional: AMD's are built in).
    public let intermediate: [UInt8]?
    /// The ARK, DER. Trusted only if the policy lists its fingerprint or it is a configured root.
    public let ark: [UInt8]?

    public init(report: [UInt8], vek: [UInt8]?, intermediate: [UInt8]? = nil, ark: [UInt8]? = nil) {
        self.report = report
        self.vek = vek
        self.intermediate = intermediate
        self.ark = ark
    }

    /// Evidence from a report and a GHCB certificate table (auxblob / SNP_GET_EXT_REPORT certs).
    public init(report: [UInt8], certificateTable: CertificateTable) {
        self.init(report: report, vek: certificateTable.certificate(.vcek) ?? certificateTable.certificate(.vlek),
                  intermediate: certificateTable.certificate(.ask), ark: certificateTable.certificate(.ark))
    }
}
