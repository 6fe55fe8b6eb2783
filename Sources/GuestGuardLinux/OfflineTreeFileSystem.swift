import GuestGuardPlatform

/// A `HostFileSystem` over a captured or fake tree (`--root DIR`), where `/proc/sys` and `/sys`
/// attributes are regular files: `writeAttribute` replaces the file's contents as the kernel
/// replaces an attribute's value, and in a multiple-choice file (`none [integrity]
/// confidentiality`) it moves the brackets to the written word, refusing a word not offered
/// (`EINVAL`, as the kernel does). Everything else is `HostFileSystem`'s.
public struct OfflineTreeFileSystem: FileSystem {
    public let base: HostFileSystem

    public init(root: String) { base = HostFileSystem(root: root) }

    public func readFile(_ path: String, limit: Int) throws(PlatformError) -> [UInt8] { try base.readFile(path, limit: limit) }
    public func status(_ path: String) throws(PlatformError) -> FileStatus? { try base.status(path) }
    public func kind(_ path: String) -> FileKind? { base.kind(path) }
    public func listDirectory(_ path: String) throws(PlatformError) -> [String] { try base.listDirectory(path) }
    public func readLink(_ path: String) throws(PlatformError) -> String { try base.readLink(path) }
    public func writeFile(_ path: String, bytes: [UInt8], mode: UInt32) throws(PlatformError) { try base.writeFile(path, bytes: bytes, mode: mode) }
    public func remove(_ path: String) throws(PlatformError) { try base.remove(path) }
    public func createDirectory(_ path: String, mode: UInt32) throws(PlatformError) { try base.createDirectory(path, mode: mode) }

    public func writeAttribute(_ path: String, bytes: [UInt8]) throws(PlatformError) {
        guard let status = try base.status(path) else { throw PlatformError(operation: "open", target: base.hostPath(path), errno: ErrnoName.ENOENT) }
        let value = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        let current = String(decoding: try base.readFile(path, limit: 4096), as: UTF8.self)
        var replacement = value + "\n"
        if current.contains("[") {
            let choices = current.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { $0.filter { $0 != "[" && $0 != "]" } }
            guard choices.contains(value) else { throw PlatformError(operation: "write", target: base.hostPath(path), errno: ErrnoName.EINVAL) }
            replacement = choices.map { $0 == value ? "[\($0)]" : $0 }.joined(separator: " ") + "\n"
        }
        try base.writeFile(path, bytes: Array(replacement.utf8), mode: status.permissions)
    }
}
