#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform

/// AF_UNIX stream sockets: the simulator port (host side, and host tests of the guest side) and
/// `guestguard status`'s one-shot request to the posture daemon.
/// The C functions are `socket`, `bind`, `listen`, `accept` and `connect`.
public enum UnixStreamSocket {
    /// A listening socket at `path` (an existing socket there is replaced), mode 0600.
    public static func listen(path: String, backlog: Int32 = 4) throws(PlatformError) -> Int32 {
        var status = stat()
        if lstat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFSOCK else { throw PlatformError(operation: "bind", target: path, errno: EEXIST, detail: "exists and is not a socket") }
            unlink(path)
        }
        let fd = try socket(path)
        let bound = try withAddress(path) { bind(fd, $0, $1) }
        guard bound == 0 else { let code = errno; close(fd); throw PlatformError(operation: "bind", target: path, errno: code) }
        chmod(path, 0o600)
        guard Glibc.listen(fd, backlog) == 0 else { let code = errno; close(fd); throw PlatformError(operation: "listen", target: path, errno: code) }
        return fd
    }

    /// The next connection on a listening socket.
    public static func accept(_ listener: Int32, path: String) throws(PlatformError) -> Int32 {
        let (fd, code) = retryingOnInterrupt { Glibc.accept(listener, nil, nil) }
        guard fd >= 0 else { throw PlatformError(operation: "accept", target: path, errno: code) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    /// A connection to the listening socket at `path`; with `timeoutSeconds`, connecting, each send
    /// and each receive wait at most that long (`SO_SNDTIMEO`, `SO_RCVTIMEO`: then `EAGAIN`).
    public static func connect(path: String, timeoutSeconds: Int? = nil) throws(PlatformError) -> Int32 {
        let fd = try socket(path)
        if let timeoutSeconds {
            var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        let (connected, code) = retryingOnInterrupt { (try? withAddress(path) { Glibc.connect(fd, $0, $1) }) ?? -1 }
        guard connected == 0 else { close(fd); throw PlatformError(operation: "connect", target: path, errno: code) }
        return fd
    }

    /// One request and its response on a fresh connection to `path`: sends all of `request`, then
    /// reads to end of file, at most `limit` bytes (more: `EMSGSIZE`). The C functions are `send`
    /// (`MSG_NOSIGNAL`: a peer that went away is `EPIPE`, not a signal) and `recv`.
    public static func exchange(path: String, request: [UInt8], timeoutSeconds: Int, limit: Int) throws(PlatformError) -> [UInt8] {
        let fd = try connect(path: path, timeoutSeconds: timeoutSeconds)
        defer { close(fd) }
        var sent = 0
        while sent < request.count {
            let (count, code) = retryingOnInterrupt { request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) } }
            guard count > 0 else { throw PlatformError(operation: "send", target: path, errno: count < 0 ? code : EPIPE) }
            sent += count
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let (count, code) = retryingOnInterrupt { chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } }
            if count == 0 { return response }
            guard count > 0 else { throw PlatformError(operation: "recv", target: path, errno: code) }
            response += chunk[0..<count]
            guard response.count <= limit else { throw PlatformError(operation: "recv", target: path, errno: EMSGSIZE, detail: "more than \(limit) bytes") }
        }
    }

    static func socket(_ path: String) throws(PlatformError) -> Int32 {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw PlatformError(operation: "socket(AF_UNIX)", target: path, errno: errno) }
        return fd
    }

    static func withAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) throws(PlatformError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw PlatformError(operation: "bind", target: path, errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { sunPath in
            for (index, byte) in bytes.enumerated() { sunPath[index] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }
}
