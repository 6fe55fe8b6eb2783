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

    /// One `write(2)` (`HostFileSystem.writeAttribute`): configfs hands each write to the
    /// attribute's store function whole, and applies a binary attribute (`inblob`) when the file
    /// is closed. The corresponding C function is `write`.
    public func write(entry: String, attribute: String, bytes: [UInt8]) throws(PlatformError) {
        try HostFileSystem().writeAttribute(entryPath(entry) + "/" + attribute, bytes: bytes)
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
