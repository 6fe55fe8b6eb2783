#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The single choke point for retrying interrupted system calls (swift-system's
/// `valueOrErrno(retryOnInterrupt:)`): runs `body` until it does not fail with EINTR.
@inline(__always)
func retryingOnInterrupt<T: FixedWidthInteger>(_ body: () -> T) -> (T, Int32) {
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

/// Opens `path` read-only with O_CLOEXEC, runs `body` with the descriptor, and closes it.
/// The corresponding C function is `open`.
func withOpenedFile<T>(
    _ path: String, flags: Int32 = O_RDONLY, operation: String = "open",
    _ body: (Int32) throws(PlatformError) -> T
) throws(PlatformError) -> T {
    let (fd, code) = retryingOnInterrupt { open(path, flags | O_CLOEXEC) }
    guard fd >= 0 else { throw PlatformError(operation: operation, target: path, errno: code) }
    defer { close(fd) }
    return try body(fd)
}

import GuestGuardPlatform

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

    /// Writes all of `bytes`: retries `EINTR`, goes on after a partial write, and throws on any
    /// error (`ENOSPC`, `EPIPE`, `EBADF`, …) or a write that makes no progress. Nothing is copied,
    /// so a secret passed here stays in its wiped buffer. The corresponding C function is `write`.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(PlatformError) {
        try Self.writeAll(fd, bytes, target: name)
    }

    public func writeAll(_ bytes: [UInt8]) throws(PlatformError) {
        try bytes.withUnsafeBytes { buffer in Result { () throws(PlatformError) in try writeAll(buffer) } }.get()
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, target: String) throws(PlatformError) {
        var written = 0
        while written < bytes.count {
            let (count, code) = retryingOnInterrupt { write(fd, bytes.baseAddress! + written, bytes.count - written) }
            guard count >= 0 else { throw PlatformError(operation: "write", target: target, errno: code) }
            guard count > 0 else {
                throw PlatformError(operation: "write", target: target, errno: ErrnoName.EIO, detail: "no progress after \(written) of \(bytes.count) bytes")
            }
            written += count
        }
    }
}
