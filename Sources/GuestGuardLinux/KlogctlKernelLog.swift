#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CGuestGuardLinux
import GuestGuardPlatform

/// The kernel ring buffer through `klogctl(SYSLOG_ACTION_READ_ALL)`, as `dmesg` reads it.
/// The corresponding C function is `klogctl`.
public struct KlogctlKernelLog: KernelLog {
    public init() {}

    public func lines() throws(PlatformError) -> [String] {
        let sizeAll: Int32 = 10  // SYSLOG_ACTION_SIZE_BUFFER
        let readAll: Int32 = 3  // SYSLOG_ACTION_READ_ALL
        var size = guestguard_klogctl(sizeAll, nil, 0)
        if size <= 0 { size = 1 << 20 }
        size = min(size, 16 << 20)
        var buffer = [CChar](repeating: 0, count: Int(size))
        let count = buffer.withUnsafeMutableBufferPointer { guestguard_klogctl(readAll, $0.baseAddress, size) }
        guard count >= 0 else { throw PlatformError(operation: "klogctl(SYSLOG_ACTION_READ_ALL)", errno: errno) }
        let text = buffer[0..<Int(count)].withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        return text.split(separator: "\n").map { line in
            // Strip the "<6>" syslog priority prefix.
            if line.hasPrefix("<"), let close = line.firstIndex(of: ">") { return String(line[line.index(after: close)...]) }
            return String(line)
        }
    }
}
