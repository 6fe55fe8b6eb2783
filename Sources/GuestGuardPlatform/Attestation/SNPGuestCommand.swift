/// The `/dev/sev-guest` report ioctls (`<linux/sev-guest.h>`).
public enum SNPGuestCommand: Sendable, Hashable, CustomStringConvertible {
    /// `SNP_GET_REPORT` (`_IOWR('S', 0x0, struct snp_guest_request_ioctl)`): MSG_REPORT_REQ
    /// through the plain SNP guest request.
    case getReport
    /// `SNP_GET_EXT_REPORT` (`_IOWR('S', 0x2, …)`): the same report plus the host's certificate
    /// table (GHCB extended guest request).
    case getExtendedReport

    /// The ioctl's name in the kernel header.
    public var description: String {
        switch self {
        case .getReport: return "SNP_GET_REPORT"
        case .getExtendedReport: return "SNP_GET_EXT_REPORT"
        }
    }
}
