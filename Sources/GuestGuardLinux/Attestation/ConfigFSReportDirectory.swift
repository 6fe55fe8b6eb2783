#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform

/// `/sys/kernel/config/tsm/report`: the `TSMReportInterface` over plain file syscalls
/// (`mkdir`, `open`/`write`, `open`/`read`, `rmdir`).
public struct ConfigFSReportDirectory: TSMReportInterface {
    /// Where configfs-tsm puts report entries (`Documentation/ABI/testing/configfs-tsm-report`).
    public static let defaultLocation = "/sys/kernel/config/tsm/report"

    public let location: String

    public init(location: String = ConfigFSReportDirectory.defaultLocation) {
        var trimmed = location
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.location = trimmed
    }

    /// The corresponding C function is `mkdir`.
    public func makeEntry(_ name: String) throws(PlatformError) {
        let path = entryPath(name)
        guard mkdir(path, 0o700) == 0 else { throw PlatformError(operation: "mkdir", target: path, errno: errno) }
    }

    /// One `write(2)`: configfs hands each write to the attribute's store function whole, and
    /// applies a binary attribute (`inblob`) when the file is closed. The corresponding C
    /// function is `write`.
    public func write(entry: String, attribute: String, bytes: [UInt8]) throws(PlatformError) {
        let path = entryPath(entry) + "/" + attribute
        try withOpenedFile(path, flags: O_WRONLY) { (descriptor) throws(PlatformError) in
            let (written, code) = writeOnce(descriptor, bytes)
            guard written >= 0 else { throw PlatformError(operation: "write", target: path, errno: code) }
            guard written == bytes.count else {
                throw PlatformError(operation: "write", target: path, errno: ErrnoName.EIO,
                                    detail: "wrote \(written) of \(bytes.count) bytes")
            }
        }
    }

    /// Reads to end of file (configfs reports no useful size). The corresponding C function is `read`.
    public func read(entry: String, attribute: String, limit: Int) throws(PlatformError) -> [UInt8] {
        try HostFileSystem().readFile(entryPath(entry) + "/" + attribute, limit: limit)
    }

    /// The corresponding C function is `rmdir`.
    public func removeEntry(_ name: String) throws(PlatformError) {
        let path = entryPath(name)
        guard rmdir(path) == 0 else { throw PlatformError(operation: "rmdir", target: path, errno: errno) }
    }

    func entryPath(_ name: String) -> String { location + "/" + name }
}

/// `write(2)` once, retried only on EINTR (outside the type, whose `write` method would shadow it).
private func writeOnce(_ descriptor: Int32, _ bytes: [UInt8]) -> (Int, Int32) {
    retryingOnInterrupt { bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } }
}
