#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform

/// Puts a unix domain socket at a path with mode 0600 and no window in which it is reachable
/// with looser permissions: the socket is bound inside a fresh private directory (mode 0700),
/// chmod-ed, then renamed into place.
struct UnixSocketPath {
    let path: String
    /// Where to bind: inside the private directory.
    let stagingPath: String
    private let stagingDirectory: String

    /// Creates the private directory next to `path`. The corresponding C function is `mkdtemp`.
    init(path: String) throws(HTTPServerError) {
        self.path = path
        if let existing = Self.fileType(path), existing != S_IFSOCK {
            throw .socketPathOccupied(path: path)
        }
        let parent = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        var template = Array("\(parent.isEmpty ? "/" : parent)/.guestguard-http.XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw .socketPathSetupFailed(PlatformError(operation: "mkdtemp", target: parent, errno: errno))
        }
        stagingDirectory = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        stagingPath = stagingDirectory + "/s"
    }

    /// After the bind: mode 0600, then rename over `path`. Returns the socket's inode so that
    /// `remove` later deletes only our own socket. The corresponding C functions are `chmod`
    /// and `rename`.
    func install() throws(HTTPServerError) -> ino_t {
        defer { rmdir(stagingDirectory) }
        guard chmod(stagingPath, 0o600) == 0 else {
            let code = errno
            unlink(stagingPath)
            throw .socketPathSetupFailed(PlatformError(operation: "chmod", target: stagingPath, errno: code))
        }
        if let existing = Self.fileType(path), existing != S_IFSOCK {
            unlink(stagingPath)
            throw .socketPathOccupied(path: path)
        }
        guard rename(stagingPath, path) == 0 else {
            let code = errno
            unlink(stagingPath)
            throw .socketPathSetupFailed(PlatformError(operation: "rename", target: path, errno: code))
        }
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_ino : 0
    }

    /// Removes the private directory after a failed bind.
    func abandon() {
        unlink(stagingPath)
        rmdir(stagingDirectory)
    }

    /// Deletes the socket at `path` if it is still the one with `inode`.
    static func remove(path: String, inode: ino_t) {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK, status.st_ino == inode else { return }
        unlink(path)
    }

    /// The `S_IFMT` bits of the file at `path`, or nil if there is none.
    static func fileType(_ path: String) -> mode_t? {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
    }
}
