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
