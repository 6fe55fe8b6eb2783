/// Turning the machine off: the last step of a boot that must not continue (fail closed).
///
/// The Linux implementation (`RebootPowerControl`) flushes filesystems and calls
/// `reboot(RB_POWER_OFF)`; it returns only if the kernel refused. Test doubles record the call
/// and return, so the caller must treat a return as "still running" and stop anyway.
public protocol PowerControl: Sendable {
    /// Powers the machine off. Returns only when that failed (with the reason), or in tests.
    func powerOff() -> PlatformError?
}
