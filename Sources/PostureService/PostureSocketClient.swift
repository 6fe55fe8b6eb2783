#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform

/// A blocking one-shot `GET` over the daemon's unix socket, for `guestguard status`: small and
/// synchronous, since the status command is. Sends `Connection: close` and reads to EOF.
public enum PostureSocketClient {
    /// The default root-only socket of `guestguard serve`.
    public static let defaultSocketPath = "/run/guestguard/posture.sock"

    /// Status code and body of `GET target`.
    /// The corresponding C functions are `socket`, `connect`, `send` and `recv`.
    public static func get(_ target: String, socketPath: String, timeoutSeconds: Int = 5, maxBytes: Int = 4 << 20) throws(PlatformError) -> (status: Int, body: [UInt8]) {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw PlatformError(operation: "socket(AF_UNIX)", errno: errno) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw PlatformError(operation: "connect", target: socketPath, errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { sunPath in
            for (index, byte) in path.enumerated() { sunPath[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw PlatformError(operation: "connect", target: socketPath, errno: errno) }
        let request = Array("GET \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw PlatformError(operation: "send", target: socketPath, errno: errno) }
            sent += n
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n == 0 { break }
            guard n > 0 else {
                if errno == EINTR { continue }
                throw PlatformError(operation: "recv", target: socketPath, errno: errno)
            }
            response += chunk[0..<n]
            guard response.count <= maxBytes else { throw PlatformError(operation: "recv", target: socketPath, errno: EMSGSIZE) }
        }
        return try parse(response, socketPath: socketPath)
    }

    /// Status line and body of a complete `Connection: close` response.
    static func parse(_ response: [UInt8], socketPath: String) throws(PlatformError) -> (status: Int, body: [UInt8]) {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = response.indices.first(where: { response[$0...].starts(with: separator) }) else {
            throw PlatformError(operation: "read response", target: socketPath, errno: EPROTO, detail: "no complete response head")
        }
        let head = String(decoding: response[..<headEnd], as: UTF8.self)
        let statusLine = head.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let fields = statusLine.split(separator: " ", maxSplits: 2)
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/1."), let status = Int(fields[1]) else {
            throw PlatformError(operation: "read response", target: socketPath, errno: EPROTO, detail: "bad status line")
        }
        return (status, Array(response[(headEnd + 4)...]))
    }
}
