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

/// Every path under a root with its kind, permissions and contents (link target for links):
/// two snapshots are equal exactly when the tree is.
struct TreeSnapshot: Equatable, CustomStringConvertible {
    var entries: [String: String] = [:]

    init(_ files: any FileSystem, under path: String = "/", skipping: Set<String> = []) {
        visit(files, path, skipping)
    }

    private mutating func visit(_ files: any FileSystem, _ path: String, _ skipping: Set<String>) {
        for name in (try? files.listDirectory(path)) ?? [] {
            let child = path == "/" ? "/" + name : path + "/" + name
            if skipping.contains(child) { continue }
            let kind = files.kind(child)
            let permissions = kind == .symbolicLink ? 0 : ((try? files.status(child))??.permissions ?? 0)
            switch kind {
            case .directory:
                entries[child] = "dir \(String(permissions, radix: 8))"
                visit(files, child, skipping)
            case .regular:
                let bytes = (try? files.readFile(child, limit: 64 << 20)).map { Self.fnv1a($0) } ?? 0
                entries[child] = "file \(String(permissions, radix: 8)) \(String(bytes, radix: 16))"
            case .symbolicLink:
                entries[child] = "link \((try? files.readLink(child)) ?? "?")"
            default:
                entries[child] = "\(kind.map(\.rawValue) ?? "?")"
            }
        }
    }

    /// FNV-1a 64: enough to tell contents apart in a test (not a security hash).
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    var description: String { entries.keys.sorted().map { "\($0): \(entries[$0]!)" }.joined(separator: "\n") }

    /// Paths whose entries differ, for failure messages.
    func differences(_ other: TreeSnapshot) -> [String] {
        Set(entries.keys).union(other.entries.keys).sorted().filter { entries[$0] != other.entries[$0] }
    }
}
