#if canImport(Glibc)
import Glibc
#endif
import GuestGuardLinux
import GuestGuardPlatform
import Synchronization

/// `HostFileSystem` under a root, recording every mutating call. `writeAttribute` behaves like a
/// kernel attribute (`OfflineTreeFileSystem`).
/// With `forbidWrites` every mutating call fails with `EROFS` (and is still recorded).
public final class RecordingFileSystem: FileSystem {
    public let base: HostFileSystem
    public let forbidWrites: Bool
    private let log = Mutex<[String]>([])

    public init(_ base: HostFileSystem, forbidWrites: Bool = false) {
        self.base = base
        self.forbidWrites = forbidWrites
    }

    public var mutations: [String] { log.withLock { $0 } }

    private func record(_ entry: String) throws(PlatformError) {
        log.withLock { $0.append(entry) }
        if forbidWrites { throw PlatformError(operation: entry, errno: EROFS, detail: "writes forbidden in this test") }
    }

    public func readFile(_ path: String, limit: Int) throws(PlatformError) -> [UInt8] { try base.readFile(path, limit: limit) }
    public func status(_ path: String) throws(PlatformError) -> FileStatus? { try base.status(path) }
    public func kind(_ path: String) -> FileKind? { base.kind(path) }
    public func listDirectory(_ path: String) throws(PlatformError) -> [String] { try base.listDirectory(path) }
    public func readLink(_ path: String) throws(PlatformError) -> String { try base.readLink(path) }

    public func writeFile(_ path: String, bytes: [UInt8], mode: UInt32) throws(PlatformError) {
        try record("writeFile \(path)")
        try base.writeFile(path, bytes: bytes, mode: mode)
    }

    public func writeAttribute(_ path: String, bytes: [UInt8]) throws(PlatformError) {
        try record("writeAttribute \(path)")
        try OfflineTreeFileSystem(root: base.root).writeAttribute(path, bytes: bytes)
    }

    public func remove(_ path: String) throws(PlatformError) {
        try record("remove \(path)")
        try base.remove(path)
    }

    public func createDirectory(_ path: String, mode: UInt32) throws(PlatformError) {
        try record("createDirectory \(path)")
        try base.createDirectory(path, mode: mode)
    }
}
