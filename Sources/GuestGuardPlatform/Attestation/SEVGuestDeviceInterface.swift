/// The syscall seam under `SEVGuestDeviceReportProvider`: open, close and one ioctl.
///
/// Everything else (the certificate-buffer resize, the fallback to `SNP_GET_REPORT`, busy
/// retries, parsing the MSG_REPORT_RSP header) lives above this protocol, so the real device and
/// the kernel-like fake in `GuestGuardTestSupport` run the same provider code.
/// (go-sev-guest's `client.Device { Open; Close; Ioctl }` has the same shape.)
public protocol SEVGuestDeviceInterface: Sendable {
    /// An open device (a file descriptor for the real one).
    associatedtype Handle: Sendable

    /// The device path, for messages (`/dev/sev-guest`).
    var path: String { get }

    /// Opens the device read-write. Throws `ENOENT` when there is no SNP guest driver.
    func openDevice() throws(PlatformError) -> Handle

    /// Closes a handle from `openDevice()`.
    func closeDevice(_ handle: Handle)

    /// Issues `command` with the fields of `request`, writing back what the kernel writes back:
    /// `exitInfo` (when non-zero), `certificatesLength` (extended request), and on success
    /// `response` and `certificates`.
    func perform(_ command: SNPGuestCommand, on handle: Handle, request: inout SNPGuestRequest) -> SNPGuestIoctlOutcome
}

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

/// What the `ioctl(2)` on `/dev/sev-guest` returned.
public enum SNPGuestIoctlOutcome: Sendable, Hashable {
    /// The ioctl returned 0; the request's output fields are valid (check the response STATUS).
    case completed
    /// The ioctl returned -1 with this errno (`exitinfo2` may say more).
    case failed(errno: Int32)
    /// The ioctl returned a positive value: some kernels pass the GHCB call's `enum es_result`
    /// (1 ES_UNSUPPORTED, 2 ES_VMM_ERROR, …) straight through when the hypervisor call fails.
    case hypervisorCallFailed(result: Int32)
}
