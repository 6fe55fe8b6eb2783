#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform
import SystemPackage

/// `FileSystem` over the real kernel, with every path placed under `root`.
///
/// In production `root` is empty (the real `/`); tests point it at a temporary tree so the same
/// code reads fake `/proc` and `/sys` files. Paths are not allowed to climb out of the root with
/// `..` (it is resolved lexically and stops at the root), because paths may come from untrusted
/// input (a mountinfo line, a swap entry). Symbolic links inside the tree are followed as the kernel does.
public struct HostFileSystem: FileSystem {
    /// Absolute directory under which guest paths are resolved; "" for the real root.
    public let root: String

    public init(root: String = "") {
        var trimmed = root
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
    }

    /// `path` made absolute against the process's working directory (command-line arguments).
    /// The corresponding C function is `getcwd`.
    public static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" + path }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } + "/" + path
    }

    /// The host path for a guest path.
    public func hostPath(_ path: String) -> String {
        // Already normal (absolute, no `.`/`..` or empty component, no trailing `/`): nothing to resolve.
        if Self.isNormalAbsolute(path) { return root + path }
        var components: [Substring] = []
        for component in path.split(separator: "/") where component != "." {
            if component == ".." { _ = components.popLast() } else { components.append(component) }
        }
        return root + "/" + components.joined(separator: "/")
    }

    /// True when `path` starts with `/`, has no `//`, no component starting with `.` and does not
    /// end in `/` (or is `/`): splitting and joining it would give it back unchanged.
    static func isNormalAbsolute(_ path: String) -> Bool {
        var previous: UInt8 = 0
        for byte in path.utf8 {
            if previous == UInt8(ascii: "/"), byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") { return false }
            if previous == 0, byte != UInt8(ascii: "/") { return false }
            previous = byte
        }
        return previous != 0 && (previous != UInt8(ascii: "/") || path.utf8.count == 1)
    }

    /// Reads until EOF (sysfs and procfs report wrong sizes). The corresponding C function is `read`.
    public func readFile(_ path: String, limit: Int) throws(PlatformError) -> [UInt8] {
        let full = hostPath(path)
        return try withOpenedFile(full) { (fd) throws(PlatformError) -> [UInt8] in
            var result = try Self.readSized(fd, path: full, limit: limit)
            if result.eof { return result.bytes }
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = try fd.readSome(into: &chunk, target: full)
                if count == 0 { return result.bytes }
                if result.bytes.count + count > limit {
                    throw PlatformError(operation: "read", target: full, errno: ErrnoName.EFBIG, detail: "longer than \(limit) bytes")
                }
                result.bytes.append(contentsOf: chunk[0..<count])
            }
        }
    }

    /// A regular file mapped read-only (`MAP_PRIVATE | MAP_POPULATE`: the page cache's pages, no
    /// copy); other files, or a failed mapping, are read with `readFile`. A file truncated by
    /// another process while mapped ends the process with SIGBUS: no result rather than a wrong one.
    /// The corresponding C functions are `fstat`, `mmap` and `munmap`.
    public func withContents<R>(of path: String, limit: Int, _ body: (UnsafeRawBufferPointer) -> R) throws(PlatformError) -> R {
        let full = hostPath(path)
        let mapped = try withOpenedFile(full) { (fd) throws(PlatformError) -> (UnsafeMutableRawPointer, Int)? in
            var info = stat()
            guard fstat(fd.rawValue, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { return nil }
            guard info.st_size <= limit else {
                throw PlatformError(operation: "read", target: full, errno: ErrnoName.EFBIG, detail: "longer than \(limit) bytes")
            }
            let size = Int(info.st_size)
            guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd.rawValue, 0), base != MAP_FAILED else { return nil }
            return (base, size)
        }
        guard let (base, size) = mapped else { return try readFile(path, limit: limit).withUnsafeBytes(body) }
        defer { munmap(base, size) }
        return body(UnsafeRawBufferPointer(start: base, count: size))
    }

    /// A regular file's contents in one allocation of its `fstat` size (plus one byte, to notice a
    /// file that grew or is over `limit`); `eof` false when the rest must be read in chunks (procfs
    /// and sysfs report size 0 or a wrong size). The corresponding C functions are `fstat` and `read`.
    static func readSized(_ fd: FileDescriptor, path: String, limit: Int) throws(PlatformError) -> (bytes: [UInt8], eof: Bool) {
        var info = stat()
        guard fstat(fd.rawValue, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { return ([], false) }
        let capacity = min(Int(info.st_size), limit) + 1
        var failure: PlatformError?
        let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            do throws(PlatformError) { count = try fd.readFully(into: UnsafeMutableRawBufferPointer(buffer), target: path) } catch { failure = error }
        }
        if let failure { throw failure }
        if bytes.count > limit { throw PlatformError(operation: "read", target: path, errno: ErrnoName.EFBIG, detail: "longer than \(limit) bytes") }
        return (bytes, bytes.count < capacity)
    }

    /// The corresponding C function is `stat`.
    public func status(_ path: String) throws(PlatformError) -> FileStatus? {
        let full = hostPath(path)
        var info = stat()
        if stat(full, &info) != 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw PlatformError(operation: "stat", target: full, errno: code)
        }
        return Self.fileStatus(info)
    }

    /// The corresponding C function is `lstat`.
    public func kind(_ path: String) -> FileKind? {
        var info = stat()
        guard lstat(hostPath(path), &info) == 0 else { return nil }
        return Self.kind(mode: info.st_mode)
    }

    /// The corresponding C functions are `opendir`, `readdir` and `closedir`.
    public func listDirectory(_ path: String) throws(PlatformError) -> [String] {
        let full = hostPath(path)
        guard let dir = opendir(full) else { throw PlatformError(operation: "opendir", target: full, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The corresponding C function is `readlink`.
    public func readLink(_ path: String) throws(PlatformError) -> String {
        let full = hostPath(path)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { readlink(full, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        guard count >= 0 else { throw PlatformError(operation: "readlink", target: full, errno: errno) }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// The corresponding C functions are `open(O_CREAT|O_EXCL)`, `write`, `fsync` and `rename`.
    public func writeFile(_ path: String, bytes: [UInt8], mode: UInt32) throws(PlatformError) {
        try bytes.withUnsafeBytes { contents in Result { () throws(PlatformError) in try writeFile(path, contents: contents, mode: mode) } }.get()
    }

    /// ``writeFile(_:bytes:mode:)`` from a buffer the caller owns (a ``SecretBytes``), so the
    /// bytes are not copied into an array nobody wipes.
    public func writeFile(_ path: String, contents: UnsafeRawBufferPointer, mode: UInt32) throws(PlatformError) {
        let full = hostPath(path)
        let temporary = full + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try openFile(temporary, .writeOnly, options: [.create, .exclusiveCreate, .noFollow],
                              permissions: FilePermissions(rawValue: CModeT(mode)))
        var failure: PlatformError?
        if fchmod(fd.rawValue, mode_t(mode)) != 0 { failure = PlatformError(operation: "fchmod", target: temporary, errno: errno) }
        if failure == nil {
            do { try OutputDescriptor.writeAll(fd, contents, target: temporary) } catch { failure = error }
        }
        if failure == nil, fsync(fd.rawValue) != 0 { failure = PlatformError(operation: "fsync", target: temporary, errno: errno) }
        try? fd.close()
        if failure == nil, rename(temporary, full) != 0 { failure = PlatformError(operation: "rename", target: full, errno: errno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// One `write` of the whole value, as sysfs and procfs attributes want it.
    /// The corresponding C functions are `open(O_WRONLY)` and `write`.
    public func writeAttribute(_ path: String, bytes: [UInt8]) throws(PlatformError) {
        let full = hostPath(path)
        try withOpenedFile(full, .writeOnly) { (fd) throws(PlatformError) in
            let count: Int
            do { count = try bytes.withUnsafeBytes { try fd.write($0, retryOnInterrupt: true) } } catch { throw PlatformError(operation: "write", target: full, error) }
            guard count == bytes.count else {
                throw PlatformError(operation: "write", target: full, errno: ErrnoName.EIO, detail: "short write of \(count) of \(bytes.count) bytes")
            }
        }
    }

    /// The corresponding C functions are `unlink` and `rmdir`.
    public func remove(_ path: String) throws(PlatformError) {
        let full = hostPath(path)
        if unlink(full) == 0 { return }
        let code = errno
        if code == EISDIR || code == EPERM, rmdir(full) == 0 { return }
        throw PlatformError(operation: code == EISDIR ? "rmdir" : "unlink", target: full, errno: code == EISDIR || code == EPERM ? errno : code)
    }

    /// The corresponding C function is `mkdir`.
    public func createDirectory(_ path: String, mode: UInt32) throws(PlatformError) {
        var current = root
        for component in path.split(separator: "/") where component != "." && component != ".." {
            current += "/" + component
            if mkdir(current, mode_t(mode)) != 0 && errno != EEXIST {
                throw PlatformError(operation: "mkdir", target: current, errno: errno)
            }
        }
    }

    static func kind(mode: mode_t) -> FileKind {
        switch mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        default: return .other
        }
    }

    static func fileStatus(_ info: stat) -> FileStatus {
        FileStatus(
            kind: kind(mode: info.st_mode),
            device: deviceNumber(UInt64(info.st_dev)),
            representedDevice: deviceNumber(UInt64(info.st_rdev)),
            size: Int64(info.st_size),
            permissions: UInt32(info.st_mode & 0o7777),
            ownerUID: UInt32(info.st_uid),
            inode: UInt64(info.st_ino),
            modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            changedNanoseconds: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        )
    }

    /// glibc's `gnu_dev_major`/`gnu_dev_minor` encoding of dev_t.
    static func deviceNumber(_ dev: UInt64) -> DeviceNumber {
        let major = ((dev >> 32) & 0xFFFF_F000) | ((dev >> 8) & 0x0000_0FFF)
        let minor = ((dev >> 12) & 0xFFFF_FF00) | (dev & 0x0000_00FF)
        return DeviceNumber(major: UInt32(truncatingIfNeeded: major), minor: UInt32(truncatingIfNeeded: minor))
    }
}
