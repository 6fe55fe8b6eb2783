import GuestGuardLinux
import GuestGuardPlatform

/// A blocking one-shot `GET` over the daemon's unix socket, for `guestguard status`: small and
/// synchronous, since the status command is. Sends `Connection: close` and reads to EOF.
public enum PostureSocketClient {
    /// The default root-only socket of `guestguard serve`.
    public static let defaultSocketPath = "/run/guestguard/posture.sock"

    /// Status code and body of `GET target` (GuestGuardLinux's `UnixStreamSocket.exchange`:
    /// `socket`, `connect`, `send` and `recv`).
    public static func get(_ target: String, socketPath: String, timeoutSeconds: Int = 5, maxBytes: Int = 4 << 20) throws(PlatformError) -> (status: Int, body: [UInt8]) {
        let request = Array("GET \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        let response = try UnixStreamSocket.exchange(path: socketPath, request: request, timeoutSeconds: timeoutSeconds, limit: maxBytes)
        return try parse(response, socketPath: socketPath)
    }

    /// EPROTO (Linux, asm-generic/errno.h): the daemon's answer is not HTTP.
    static let EPROTO: Int32 = 71

    /// Status line and body of a complete `Connection: close` response.
    static func parse(_ response: [UInt8], socketPath: String) throws(PlatformError) -> (status: Int, body: [UInt8]) {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = response.indices.first(where: { response[$0...].starts(with: separator) }) else {
            throw PlatformError(operation: "read response", target: socketPath, errno: Self.EPROTO, detail: "no complete response head")
        }
        let head = String(decoding: response[..<headEnd], as: UTF8.self)
        let statusLine = head.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let fields = statusLine.split(separator: " ", maxSplits: 2)
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/1."), let status = Int(fields[1]) else {
            throw PlatformError(operation: "read response", target: socketPath, errno: Self.EPROTO, detail: "bad status line")
        }
        return (status, Array(response[(headEnd + 4)...]))
    }
}
