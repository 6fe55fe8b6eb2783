import GuestGuardPlatform

/// Reads MSRs through the `msr` driver: an 8-byte `pread` of `/dev/cpu/N/msr` at offset = MSR
/// address. Needs the `msr` module (`modprobe msr`, CONFIG_X86_MSR) and CAP_SYS_RAWIO.
/// Under kernel lockdown the driver refuses writes, not reads. The corresponding C function is `pread` (swift-system's `read(fromAbsoluteOffset:)`).
public struct DevCPUMSRReader: MSRReader {
    /// Prefix for `/dev/cpu/N/msr` (a temporary tree in tests; a sparse file stands in for the device).
    public let root: String

    public init(root: String = "") { self.root = root }

    public func readMSR(_ msr: UInt32, cpu: Int) throws(PlatformError) -> UInt64 {
        let path = "\(root)/dev/cpu/\(cpu)/msr"
        return try withOpenedFile(path) { (fd) throws(PlatformError) -> UInt64 in
            var value: UInt64 = 0
            let count = try withUnsafeMutableBytes(of: &value) { (buffer) throws(PlatformError) in
                try fd.readFully(fromAbsoluteOffset: Int64(msr), into: buffer, target: path)
            }
            guard count == 8 else {
                throw PlatformError(operation: "pread", target: path, errno: ErrnoName.EIO, detail: "short read of \(count) bytes")
            }
            return UInt64(littleEndian: value)
        }
    }
}
