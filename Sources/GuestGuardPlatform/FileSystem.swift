#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What kind of object a path names.
public enum FileKind: String, Sendable, Hashable {
    case regular, directory, symbolicLink, characterDevice, blockDevice, fifo, socket, other
}

/// A device number (`st_dev` / `st_rdev`), as `/sys/dev/block/MAJOR:MINOR` spells it.
public struct DeviceNumber: Sendable, Hashable, CustomStringConvertible {
    public let major: UInt32
    public let minor: UInt32
    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }

    /// Parses `"253:0"` (the format of `/sys/class/block/*/dev` and mountinfo field 3).
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = UInt32(parts[0]), let minor = UInt32(parts[1]) else { return nil }
        self.init(major: major, minor: minor)
    }

    public var description: String { "\(major):\(minor)" }
}

/// The facts `stat(2)` gives that guestguard uses.
public struct FileStatus: Sendable, Hashable {
    public let kind: FileKind
    /// `st_dev`: the device holding the file.
    public let device: DeviceNumber
    /// `st_rdev`: for device nodes, the device they name.
    public let representedDevice: DeviceNumber
    public let size: Int64
    /// Permission bits (`st_mode & 0o7777`).
    public let permissions: UInt32
    public let ownerUID: UInt32
    /// `st_ino`.
    public let inode: UInt64
    /// `st_mtim` and `st_ctim`, in nanoseconds since the epoch: with `device`, `inode` and `size`,
    /// what tells a file's contents changed without reading it (a rename over it, an edit in place).
    public let modifiedNanoseconds: Int64
    public let changedNanoseconds: Int64

    public init(kind: FileKind, device: DeviceNumber, representedDevice: DeviceNumber, size: Int64, permissions: UInt32, ownerUID: UInt32,
                inode: UInt64 = 0, modifiedNanoseconds: Int64 = 0, changedNanoseconds: Int64 = 0) {
        self.kind = kind
        self.device = device
        self.representedDevice = representedDevice
        self.size = size
        self.permissions = permissions
        self.ownerUID = ownerUID
        self.inode = inode
        self.modifiedNanoseconds = modifiedNanoseconds
        self.changedNanoseconds = changedNanoseconds
    }
}

/// Access to files, under a root that is `/` in production and a temporary tree in tests.
///
/// Every path is absolute as seen from inside the guest (`/proc/cmdline`); implementations map
/// it under their root. Reads are bounded: sysfs and procfs files report sizes that are wrong
/// (4096, 0), so implementations read until end of file, up to `limit` bytes.
public protocol FileSystem: Sendable {
    /// Reads a whole file, failing with `EFBIG` if it is longer than `limit` bytes.
    func readFile(_ path: String, limit: Int) throws(PlatformError) -> [UInt8]
    /// `stat(2)` (follows symbolic links); nil when the path does not exist.
    func status(_ path: String) throws(PlatformError) -> FileStatus?
    /// `lstat(2)`: the kind of the path itself, without following a final symbolic link; nil when absent.
    func kind(_ path: String) -> FileKind?
    /// Names in a directory, sorted, without `.` and `..`.
    func listDirectory(_ path: String) throws(PlatformError) -> [String]
    /// The target of a symbolic link, as stored.
    func readLink(_ path: String) throws(PlatformError) -> String

    /// Replaces `path` atomically with `bytes`: written to a temporary file in the same directory
    /// with `mode`, flushed (`fsync`), then renamed over the target, so readers see the old or the
    /// new contents, never a torn file.
    func writeFile(_ path: String, bytes: [UInt8], mode: UInt32) throws(PlatformError)
    /// ``writeFile(_:bytes:mode:)`` from a buffer the caller owns (a ``SecretBytes``), so that key material is not
    /// copied into an array nobody wipes. The default (for fakes) goes through such a copy and zeroes it.
    func writeFile(_ path: String, contents: UnsafeRawBufferPointer, mode: UInt32) throws(PlatformError)
    /// Writes to an existing file in place (sysfs, procfs, configfs attributes), no truncation tricks.
    func writeAttribute(_ path: String, bytes: [UInt8]) throws(PlatformError)
    /// Removes a file (`unlink`) or an empty directory (`rmdir`).
    func remove(_ path: String) throws(PlatformError)
    /// Creates a directory and its missing parents with `mode`.
    func createDirectory(_ path: String, mode: UInt32) throws(PlatformError)
    /// Runs `body` over a whole file (at most `limit` bytes, else `EFBIG`) without copying it where
    /// the implementation can (large blobs that are only hashed: kernels, initrds). The default
    /// reads the file with `readFile`.
    func withContents<R>(of path: String, limit: Int, _ body: (UnsafeRawBufferPointer) -> R) throws(PlatformError) -> R
}

extension FileSystem {
    /// Default bound for text files (1 MiB).
    public static var defaultReadLimit: Int { 1 << 20 }

    /// Reads a file as UTF-8 text (invalid sequences repaired), at most 1 MiB.
    public func readText(_ path: String, limit: Int = 1 << 20) throws(PlatformError) -> String {
        let bytes = try readFile(path, limit: limit)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True when the path exists (following links).
    public func exists(_ path: String) -> Bool { kind(path) != nil }

    public func withContents<R>(of path: String, limit: Int, _ body: (UnsafeRawBufferPointer) -> R) throws(PlatformError) -> R {
        try readFile(path, limit: limit).withUnsafeBytes(body)
    }

    public func writeFile(_ path: String, contents: UnsafeRawBufferPointer, mode: UInt32) throws(PlatformError) {
        var bytes = Array(contents)
        defer { bytes.withUnsafeMutableBytes { if let base = $0.baseAddress { explicit_bzero(base, $0.count) } } }
        try writeFile(path, bytes: bytes, mode: mode)
    }
}

extension String {
    /// Drops leading and trailing ASCII whitespace and NULs (sysfs values end in "\n").
    package func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\0" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
