/// The kernel's message ring buffer, as `dmesg` shows it.
public protocol KernelLog: Sendable {
    /// Current ring-buffer lines, oldest first. Throws `EPERM` under `kernel.dmesg_restrict` without
    /// CAP_SYSLOG. The ring buffer wraps: early-boot lines may already be gone.
    func lines() throws(PlatformError) -> [String]
}
