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
