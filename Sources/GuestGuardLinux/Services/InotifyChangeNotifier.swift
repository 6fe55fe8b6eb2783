#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform
import SystemPackage
import Synchronization

/// `ChangeNotifier` over inotify(7), non-blocking (`IN_NONBLOCK`), paths placed under `root`.
///
/// Events watched: `IN_CREATE`, `IN_DELETE`, `IN_MOVED_FROM`, `IN_MOVED_TO`, `IN_CLOSE_WRITE`,
/// `IN_ATTRIB`, `IN_DELETE_SELF`, `IN_MOVE_SELF`. An overflowed queue (`IN_Q_OVERFLOW`) is
/// reported as a change of every watched path. The corresponding C functions are
/// `inotify_init1`, `inotify_add_watch` and `read`.
public final class InotifyChangeNotifier: ChangeNotifier {
    let fd: Int32
    let files: HostFileSystem
    /// Watch descriptor → guest path.
    private let paths = Mutex<[Int32: String]>([:])

    static let mask: UInt32 = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

    public init(root: String = "") throws(PlatformError) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw PlatformError(operation: "inotify_init1", errno: errno) }
        self.fd = fd
        self.files = HostFileSystem(root: root)
    }

    deinit { try? FileDescriptor(rawValue: fd).close() }

    public func watch(_ wanted: [String]) -> [String] {
        paths.withLock { paths in add(wanted, to: &paths) }
    }

    private func add(_ wanted: [String], to paths: inout [Int32: String]) -> [String] {
        var missing: [String] = []
        let watched = Set(paths.values)
        for path in wanted where !watched.contains(path) {
            let descriptor = inotify_add_watch(fd, files.hostPath(path), Self.mask)
            if descriptor < 0 { missing.append(path) } else { paths[descriptor] = path }
        }
        return missing
    }

    public func pendingChanges() throws(PlatformError) -> [String] {
        try paths.withLock { paths in drain(&paths) }.get()
    }

    private func drain(_ paths: inout [Int32: String]) -> Result<[String], PlatformError> {
        var changed: [String] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes { try FileDescriptor(rawValue: fd).read(into: $0, retryOnInterrupt: true) }
            } catch Errno.resourceTemporarilyUnavailable {
                break
            } catch {
                return .failure(PlatformError(operation: "read", target: "inotify", error))
            }
            if count == 0 { break }
            var offset = 0
            let headerSize = MemoryLayout<inotify_event>.size
            while offset + headerSize <= count {
                let (descriptor, eventMask, nameLength) = buffer.withUnsafeBytes { raw in
                    (raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                     raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                let nameBytes = buffer[(offset + headerSize)..<min(count, offset + headerSize + nameLength)].prefix { $0 != 0 }
                offset += headerSize + nameLength
                if eventMask & UInt32(IN_Q_OVERFLOW) != 0 {
                    changed.append(contentsOf: paths.values.sorted())
                    continue
                }
                guard let base = paths[descriptor] else { continue }
                if eventMask & UInt32(IN_IGNORED) != 0 {
                    paths[descriptor] = nil
                    changed.append(base)
                    continue
                }
                changed.append(nameBytes.isEmpty ? base : base + "/" + String(decoding: nameBytes, as: UTF8.self))
            }
        }
        var seen = Set<String>()
        return .success(changed.filter { seen.insert($0).inserted })
    }
}
