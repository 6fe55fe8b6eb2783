#if canImport(Glibc)
import Glibc
#endif
import GuestGuardLinux
import GuestGuardPlatform
import Synchronization

/// A file tree in a fresh temporary directory, standing in for `/` (fake /proc, /sys, /dev), or the scratch
/// directory of a test. Reads go through the real `HostFileSystem`, so tests exercise the production read path.
/// The directory is removed when the tree is released, and at the latest when the test process exits (a tree held
/// by a `static let` is never released): no test leaves anything in /tmp.
public final class TemporaryFileTree: @unchecked Sendable {
    /// The directory standing in for `/`.
    public let root: String
    public var fileSystem: HostFileSystem { HostFileSystem(root: root) }
    private let directories = Atomic<Int>(0)

    public init(prefix: String = "guestguard-test") {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        root = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        Self.live.withLock { live in
            if live.registered == false {
                live.registered = true
                atexit { TemporaryFileTree.removeLive() }
            }
            live.roots.insert(root)
        }
    }

    deinit {
        Self.removeTree(root)
        _ = Self.live.withLock { $0.roots.remove(root) }
    }

    /// A fresh, empty directory `name-N` inside the tree (its absolute path): the scratch directory of one test
    /// when the suite holds the tree (a suite instance lives for one test).
    public func directory(_ name: String = "scratch") -> String {
        let path = "/\(name)-\(directories.add(1, ordering: .relaxed).newValue)"
        makeDirectory(path)
        return root + path
    }

    /// The test process's scratch tree: ``directory(_:)`` of it for a test's files, a key, a certificate, a
    /// broker's data directory. Removed when the process exits; a test that writes much removes its directory itself.
    public static let shared = TemporaryFileTree(prefix: "guestguard-tests")

    /// The trees not yet released, and whether the exit handler is installed.
    private static let live = Mutex<(roots: Set<String>, registered: Bool)>(([], false))

    /// At process exit: removes what is left (trees in `static let`s, trees a test leaked).
    private static func removeLive() {
        for root in live.withLock({ $0.roots }) { removeTree(root) }
    }

    /// Writes a file (creating parent directories).
    @discardableResult
    public func write(_ path: String, _ contents: String) -> Self { write(path, bytes: Array(contents.utf8)) }

    @discardableResult
    public func write(_ path: String, bytes: [UInt8], mode: mode_t = 0o644) -> Self {
        let full = root + path
        makeDirectory(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
        let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        precondition(fd >= 0, "open \(full) failed: \(errno)")
        bytes.withUnsafeBytes { _ = Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        return self
    }

    /// Writes `value` little-endian at byte `offset` of a sparse file (a fake `/dev/cpu/N/msr`).
    @discardableResult
    public func writeMSR(cpu: Int = 0, address: UInt32, value: UInt64) -> Self {
        let path = "/dev/cpu/\(cpu)/msr"
        makeDirectory("/dev/cpu/\(cpu)")
        let fd = open(root + path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        precondition(fd >= 0)
        var little = value.littleEndian
        _ = withUnsafeBytes(of: &little) { pwrite(fd, $0.baseAddress, 8, off_t(address)) }
        close(fd)
        return self
    }

    @discardableResult
    public func makeDirectory(_ path: String) -> Self {
        var current = root
        for component in path.split(separator: "/") {
            current += "/" + component
            mkdir(current, 0o755)
        }
        return self
    }

    @discardableResult
    public func symlink(_ path: String, to target: String) -> Self {
        makeDirectory(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
        _ = Glibc.symlink(target, root + path)
        return self
    }

    /// Creates a named pipe standing in for a character device path (tests check the kind).
    @discardableResult
    public func makeFIFO(_ path: String) -> Self {
        makeDirectory(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
        mkfifo(root + path, 0o600)
        return self
    }

    public func remove(_ path: String) { Self.removeTree(root + path) }

    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            if let dir = opendir(path) {
                var names: [String] = []
                while let entry = readdir(dir) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
                    if name != "." && name != ".." { names.append(name) }
                }
                closedir(dir)
                for name in names { removeTree(path + "/" + name) }
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}

extension TemporaryFileTree {
    /// Creates a character device node (needs root, as CI and the demo run). The corresponding C
    /// function is `mknod`.
    @discardableResult
    public func makeCharacterDevice(_ path: String, major: UInt32 = 1, minor: UInt32 = 3) -> Self {
        makeDirectory(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
        let dev = (UInt64(major & 0xFFF) << 8) | UInt64(minor & 0xFF) | (UInt64(major & ~0xFFF) << 32) | (UInt64(minor & ~0xFF) << 12)
        let rc = mknod(root + path, S_IFCHR | 0o600, dev_t(dev))
        precondition(rc == 0, "mknod \(path) failed (errno \(errno)): tests that fake device nodes need root")
        return self
    }
}
