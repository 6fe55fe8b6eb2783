#if canImport(Glibc)
import Glibc
#endif
import NIOPosix

/// Byte-level HTTP exchanges with a server, for requests no client library would send: the
/// request goes out in pieces (optionally with pauses between them, for slow-loris), and the
/// answer is read until the server closes or `readTimeout` passes. The blocking socket calls run
/// on NIO's thread pool, never on the cooperative pool the daemon's handlers need.
struct RawHTTP: Sendable {
    enum Endpoint: Sendable {
        case tcp(port: Int)
        case unix(path: String)
    }

    let endpoint: Endpoint

    /// Sends `pieces` (pausing `pause` between them) and returns what came back.
    /// Stops reading after `expectedResponses` complete responses, or when the server closes.
    func exchange(_ pieces: [[UInt8]], pause: Duration = .zero, readTimeout: Int = 10, expectedResponses: Int = 1) async -> String {
        (try? await NIOThreadPool.singleton.runIfActive {
            exchangeBlocking(pieces, pause: pause, readTimeout: readTimeout, expectedResponses: expectedResponses)
        }) ?? "thread pool inactive"
    }

    private func exchangeBlocking(_ pieces: [[UInt8]], pause: Duration, readTimeout: Int, expectedResponses: Int) -> String {
        let fd: Int32
        switch endpoint {
        case .tcp(let port):
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard result == 0 else { close(fd); return "connect failed: errno \(errno)" }
        case .unix(let path):
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
            }
            let result = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
            guard result == 0 else { close(fd); return "connect failed: errno \(errno)" }
        }
        defer { close(fd) }
        var timeout = timeval(tv_sec: readTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        for (index, piece) in pieces.enumerated() {
            if index > 0, pause > .zero {
                let (seconds, attoseconds) = pause.components
                var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
                nanosleep(&request, nil)
            }
            var sent = 0
            while sent < piece.count {
                let n = piece.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }
                sent += n
            }
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !Self.isComplete(received, responses: expectedResponses) {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Whether `bytes` hold `responses` complete responses (head and `Content-Length` body);
    /// the server may keep the connection open after that.
    static func isComplete(_ bytes: [UInt8], responses: Int) -> Bool {
        var start = 0
        for _ in 0..<responses {
            guard let headEnd = (start..<max(start, bytes.count - 3)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }) else {
                return false
            }
            let head = String(decoding: bytes[start..<headEnd], as: UTF8.self).lowercased()
            let length = head.split(whereSeparator: \.isNewline).first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).filter { !$0.isWhitespace }) } ?? 0
            start = headEnd + 4 + length
            guard bytes.count >= start else { return false }
        }
        return true
    }

    /// One request, sent at once.
    func send(_ text: String, readTimeout: Int = 10, expectedResponses: Int = 1) async -> String {
        await exchange([Array(text.utf8)], readTimeout: readTimeout, expectedResponses: expectedResponses)
    }

    /// The status code of a response text, or nil.
    static func status(_ response: String) -> Int? {
        guard response.hasPrefix("HTTP/1.") else { return nil }
        return Int(response.split(separator: " ", maxSplits: 2).dropFirst().first ?? "")
    }

    /// `GET path` with `Connection: close`.
    func get(_ path: String) async -> String { await send("GET \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n") }
}
