/// Reads model-specific registers (`/dev/cpu/N/msr` on Linux).
public protocol MSRReader: Sendable {
    /// The value of `msr` on logical CPU `cpu`.
    /// Throws with `ENOENT` when the device is missing (no `msr` module), `EACCES`/`EPERM` without
    /// CAP_SYS_RAWIO, and `EIO` when the read faults (#GP: the MSR does not exist).
    func readMSR(_ msr: UInt32, cpu: Int) throws(PlatformError) -> UInt64
}
