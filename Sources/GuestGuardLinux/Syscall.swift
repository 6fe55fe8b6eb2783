#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform
import SystemPackage

/// Retries an interrupted system call that swift-system does not wrap (`ioctl`, `accept`, `send`):
/// runs `body` until it does not fail with EINTR, as swift-system's `retryOnInterrupt: true` does
/// for the calls it wraps (`open`, `read`, `pread`, `write`). Returns the result and, when it is -1,
/// the `errno` of the failure (0 otherwise).
@inlinable
public func retryingOnInterrupt<T: FixedWidthInteger>(_ body: () -> T) -> (T, Int32) {
    while true {
        let result = body()
        if result == -1 {
            let code = errno
            if code == EINTR { continue }
            return (result, code)
        }
        return (result, 0)
    }
}

extension PlatformError {
    /// A swift-system `Errno` under our names (`ENOENT`): the number is kept.
    init(operation: String, target: String?, _ error: any Error, detail: String? = nil) {
        self.init(operation: operation, target: target, errno: (error as? Errno)?.rawValue ?? ErrnoName.EIO, detail: detail)
    }
}

/// Opens `path` with close-on-exec (swift-system's `FileDescriptor.open`, retried on EINTR), runs
/// `body` with the descriptor, and closes it. The corresponding C function is `open`.
func withOpenedFile<T>(
    _ path: String, _ mode: FileDescriptor.AccessMode = .readOnly, options: FileDescriptor.OpenOptions = [],
    operation: String = "open", _ body: (FileDescriptor) throws(PlatformError) -> T
) throws(PlatformError) -> T {
    let fd = try openFile(path, mode, options: options, operation: operation)
    defer { try? fd.close() }
    return try body(fd)
}

extension FileDescriptor.OpenOptions {
    /// `O_NOCTTY`, which swift-system does not name: opening a terminal device does not make it ours.
    static var noControllingTerminal: Self { Self(rawValue: O_NOCTTY) }
}

/// `FileDescriptor.open` with `.closeOnExec` always, errors as ``PlatformError``.
func openFile(
    _ path: String, _ mode: FileDescriptor.AccessMode, options: FileDescriptor.OpenOptions = [],
    permissions: FilePermissions? = nil, operation: String = "open"
) throws(PlatformError) -> FileDescriptor {
    do {
        return try FileDescriptor.open(FilePath(path), mode, options: options.union(.closeOnExec), permissions: permissions, retryOnInterrupt: true)
    } catch {
        throw PlatformError(operation: operation, target: path, error)
    }
}

extension FileDescriptor {
    /// `read(2)` retried on EINTR; errors as ``PlatformError`` naming `target`.
    func readSome(into buffer: UnsafeMutableRawBufferPointer, target: String) throws(PlatformError) -> Int {
        do { return try read(into: buffer, retryOnInterrupt: true) } catch { throw PlatformError(operation: "read", target: target, error) }
    }

    /// Fills `buffer` from `offset` (`pread(2)`: the file position does not move; retried on EINTR
    /// and after short reads); the count read, less than `buffer.count` only at end of file.
    func readFully(fromAbsoluteOffset offset: Int64, into buffer: UnsafeMutableRawBufferPointer, target: String) throws(PlatformError) -> Int {
        try Self.fill(buffer, operation: "pread", target: target) { (rest, done) in
            try read(fromAbsoluteOffset: offset + Int64(done), into: rest, retryOnInterrupt: true)
        }
    }

    /// Fills `buffer` from the file position (`read(2)`, retried on EINTR and after short reads);
    /// the count read, less than `buffer.count` only at end of file.
    func readFully(into buffer: UnsafeMutableRawBufferPointer, target: String) throws(PlatformError) -> Int {
        try Self.fill(buffer, operation: "read", target: target) { (rest, _) in try read(into: rest, retryOnInterrupt: true) }
    }

    /// ``readSome(into:target:)`` into an array's storage.
    func readSome(into bytes: inout [UInt8], target: String) throws(PlatformError) -> Int {
        try bytes.withUnsafeMutableBytes { buffer in Result { () throws(PlatformError) in try readSome(into: buffer, target: target) } }.get()
    }

    /// ``readFully(fromAbsoluteOffset:into:target:)`` into an array's storage.
    func readFully(fromAbsoluteOffset offset: Int64, into bytes: inout [UInt8], target: String) throws(PlatformError) -> Int {
        try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(PlatformError) in try readFully(fromAbsoluteOffset: offset, into: buffer, target: target) }
        }.get()
    }

    private static func fill(
        _ buffer: UnsafeMutableRawBufferPointer, operation: String, target: String,
        _ readSome: (UnsafeMutableRawBufferPointer, Int) throws -> Int
    ) throws(PlatformError) -> Int {
        var done = 0
        while done < buffer.count {
            let count: Int
            do { count = try readSome(UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), done) } catch {
                throw PlatformError(operation: operation, target: target, error)
            }
            if count == 0 { break }
            done += count
        }
        return done
    }
}

/// A descriptor written to in whole buffers: standard output, an audit log opened `O_APPEND`.
public struct OutputDescriptor: Sendable {
    public let fd: Int32
    /// What the descriptor is, for errors ("standard output", the log's path).
    public let name: String

    public init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
    }

    public static let standardOutput = OutputDescriptor(fd: 1, name: "standard output")
    public static let standardError = OutputDescriptor(fd: 2, name: "standard error")

    /// A file opened for appending (`O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC`, created with
    /// `mode`): each ``writeAll(_:)`` of a line lands whole, also with other writers and after a
    /// rotation by rename. Close it with ``close()``. The corresponding C function is `open`.
    public static func appending(to path: String, mode: UInt32 = 0o600, name: String? = nil) throws(PlatformError) -> OutputDescriptor {
        let fd = try openFile(path, .writeOnly, options: [.append, .create], permissions: FilePermissions(rawValue: CModeT(mode)))
        return OutputDescriptor(fd: fd.rawValue, name: name ?? path)
    }

    /// Closes a descriptor from ``appending(to:mode:name:)``. The corresponding C function is `close`.
    public func close() { try? FileDescriptor(rawValue: fd).close() }

    /// Writes all of `bytes`: retries `EINTR`, goes on after a partial write, and throws on any
    /// error (`ENOSPC`, `EPIPE`, `EBADF`, …) or a write that makes no progress. Nothing is copied,
    /// so a secret passed here stays in its wiped buffer. The corresponding C function is `write`.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(PlatformError) {
        try Self.writeAll(FileDescriptor(rawValue: fd), bytes, target: name)
    }

    public func writeAll(_ bytes: [UInt8]) throws(PlatformError) {
        try bytes.withUnsafeBytes { buffer in Result { () throws(PlatformError) in try writeAll(buffer) } }.get()
    }

    /// A line for a person (progress, a warning) where a failed write can only be dropped: standard
    /// error that is closed has nowhere to report to.
    public func writeBestEffort(_ text: String) {
        try? writeAll(Array(text.utf8))
    }

    static func writeAll(_ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer, target: String) throws(PlatformError) {
        var written = 0
        while written < bytes.count {
            let count: Int
            do {
                count = try fd.write(UnsafeRawBufferPointer(rebasing: bytes[written...]), retryOnInterrupt: true)
            } catch { throw PlatformError(operation: "write", target: target, error) }
            guard count > 0 else {
                throw PlatformError(operation: "write", target: target, errno: ErrnoName.EIO, detail: "no progress after \(written) of \(bytes.count) bytes")
            }
            written += count
        }
    }
}
