#if canImport(Glibc)
import Glibc
#endif
import GuestGuardLinux
import GuestGuardPlatform
import Synchronization

/// `HostFileSystem` under a root, recording every mutating call. `writeAttribute` behaves like a
/// kernel attribute (`OfflineTreeFileSystem`).
/// With `forbidWrites` every mutating call fails with `EROFS` (and is still recorded).
final class RecordingFileSystem: FileSystem {
    let base: HostFileSystem
    let forbidWrites: Bool
    private let log = Mutex<[String]>([])

    init(_ base: HostFileSystem, forbidWrites: Bool = false) {
        self.base = base
        self.forbidWrites = forbidWrites
    }

    var mutations: [String] { log.withLock { $0 } }

    private func record(_ entry: String) throws(PlatformError) {
        log.withLock { $0.append(entry) }
        if forbidWrites { throw PlatformError(operation: entry, errno: EROFS, detail: "writes forbidden in this test") }
    }

    func readFile(_ path: String, limit: Int) throws(PlatformError) -> [UInt8] { try base.readFile(path, limit: limit) }
    func status(_ path: String) throws(PlatformError) -> FileStatus? { try base.status(path) }
    func kind(_ path: String) -> FileKind? { base.kind(path) }
    func listDirectory(_ path: String) throws(PlatformError) -> [String] { try base.listDirectory(path) }
    func readLink(_ path: String) throws(PlatformError) -> String { try base.readLink(path) }

    func writeFile(_ path: String, bytes: [UInt8], mode: UInt32) throws(PlatformError) {
        try record("writeFile \(path)")
        try base.writeFile(path, bytes: bytes, mode: mode)
    }

    func writeAttribute(_ path: String, bytes: [UInt8]) throws(PlatformError) {
        try record("writeAttribute \(path)")
        try OfflineTreeFileSystem(root: base.root).writeAttribute(path, bytes: bytes)
    }

    func remove(_ path: String) throws(PlatformError) {
        try record("remove \(path)")
        try base.remove(path)
    }

    func createDirectory(_ path: String, mode: UInt32) throws(PlatformError) {
        try record("createDirectory \(path)")
        try base.createDirectory(path, mode: mode)
    }
}
