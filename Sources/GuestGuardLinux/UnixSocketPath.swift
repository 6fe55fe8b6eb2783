#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform

/// Puts a unix domain socket at a path with mode 0600 and no window in which it is reachable
/// with looser permissions: the socket is bound inside a fresh private directory (mode 0700),
/// chmod-ed, then renamed into place. Errors are ``PlatformError``s; a path held by something that
/// is not a socket is `EEXIST` (see ``isOccupied(_:)``).
public struct UnixSocketPath: Sendable {
    public let path: String
    /// Where to bind: inside the private directory.
    public let stagingPath: String
    private let stagingDirectory: String

    /// Creates the private directory next to `path`. The corresponding C function is `mkdtemp`.
    public init(path: String) throws(PlatformError) {
        self.path = path
        if let existing = Self.fileType(path), existing != S_IFSOCK {
            throw Self.occupied(path)
        }
        let parent = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        // Short, because the staging path must fit in sun_path (108 bytes) as well.
        var template = Array("\(parent)/.gghttp.XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw PlatformError(operation: "mkdtemp", target: parent, errno: errno)
        }
        stagingDirectory = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        stagingPath = stagingDirectory + "/s"
    }

    /// After the bind: mode 0600, then rename over `path`. Returns the socket's inode so that
    /// `remove` later deletes only our own socket. The corresponding C functions are `chmod`
    /// and `rename`.
    public func install() throws(PlatformError) -> UInt64 {
        defer { rmdir(stagingDirectory) }
        guard chmod(stagingPath, 0o600) == 0 else {
            let code = errno
            unlink(stagingPath)
            throw PlatformError(operation: "chmod", target: stagingPath, errno: code)
        }
        if let existing = Self.fileType(path), existing != S_IFSOCK {
            unlink(stagingPath)
            throw Self.occupied(path)
        }
        guard rename(stagingPath, path) == 0 else {
            let code = errno
            unlink(stagingPath)
            throw PlatformError(operation: "rename", target: path, errno: code)
        }
        var status = stat()
        return lstat(path, &status) == 0 ? UInt64(status.st_ino) : 0
    }

    /// Removes the private directory after a failed bind.
    public func abandon() {
        unlink(stagingPath)
        rmdir(stagingDirectory)
    }

    /// Deletes the socket at `path` if it is still the one with `inode`.
    public static func remove(path: String, inode: UInt64) {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK, UInt64(status.st_ino) == inode else { return }
        unlink(path)
    }

    static func occupied(_ path: String) -> PlatformError {
        PlatformError(operation: "bind", target: path, errno: EEXIST, detail: "exists and is not a socket")
    }

    /// Whether `error` says the path is held by something that is not a socket.
    public static func isOccupied(_ error: PlatformError) -> Bool { error.errno == EEXIST && error.operation == "bind" }

    /// The `S_IFMT` bits of the file at `path`, or nil if there is none.
    static func fileType(_ path: String) -> mode_t? {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
    }
}
