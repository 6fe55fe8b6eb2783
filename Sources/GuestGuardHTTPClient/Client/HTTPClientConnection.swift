#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform
import COpenSSL

/// One blocking client connection to one origin: a non-blocking TCP socket driven by `poll` against the
/// request's deadline, with TLS (if any) through `TLSConnection`'s memory BIOs. It carries one request at a
/// time; `HTTPClient` keeps it for reuse between requests and hands it to one thread at a time.
/// The corresponding C functions are `getaddrinfo`, `socket`, `connect`, `poll`, `send` and `recv`.
final class HTTPClientConnection: HTTPResponseSource, @unchecked Sendable {
    typealias Deadline = MonotonicInstant

    let fd: Int32
    let host: String
    let port: Int
    private let tls: TLSConnection?
    /// Plaintext received and not yet consumed by the response reader.
    var received: [UInt8] = []
    var receivedStart = 0

    private init(fd: Int32, host: String, port: Int, tls: TLSConnection?) {
        self.fd = fd
        self.host = host
        self.port = port
        self.tls = tls
    }

    deinit { close(fd) }

    // MARK: Connecting

    /// Resolves the host, connects to its first address that accepts within `connectTimeout` (bounded by
    /// `deadline`), and runs the TLS handshake when `tls` is given.
    static func open(to url: HTTPURL, tls: TLSContext?, connectTimeout: Duration, deadline: Deadline) throws(HTTPClientError) -> HTTPClientConnection {
        let connectDeadline = min(deadline, .now + connectTimeout)
        // Which error a hang while connecting is: the connect timeout, unless the whole request's ends first.
        let hangError: HTTPClientError = connectDeadline < deadline
            ? .connectTimeout(host: url.host, port: url.port) : .timeout(host: url.host, port: url.port)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(url.host, String(url.port), &hints, &list) == 0, let first = list else {
            throw .resolutionFailed(host: url.host)
        }
        defer { freeaddrinfo(list) }
        var failures: [Int32] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { failures.append(errno); continue }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) != 0 {
                guard errno == EINPROGRESS else { failures.append(errno); close(fd); continue }
                guard try wait(fd, for: Int16(POLLOUT), until: connectDeadline) else { close(fd); throw hangError }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                guard error == 0 else { failures.append(error); close(fd); continue }
            }
            let tlsConnection: TLSConnection?
            do { tlsConnection = try tls.map { context throws(TLSError) in try TLSConnection(context: context, peerName: url.host) } } catch {
                close(fd)
                throw .tls(error)
            }
            let connection = HTTPClientConnection(fd: fd, host: url.host, port: url.port, tls: tlsConnection)
            if tlsConnection != nil { try connection.handshake(deadline: deadline) }
            return connection
        }
        if !failures.isEmpty, failures.allSatisfy({ $0 == ECONNREFUSED }) { throw .connectionRefused(host: url.host, port: url.port) }
        let reasons = failures.map { String(cString: strerror($0)) }
        throw .connectFailed(host: url.host, port: url.port, reason: reasons.isEmpty ? "no usable address" : reasons.joined(separator: "; "))
    }

    /// `SSL_do_handshake` until done, moving ciphertext between the socket and the memory BIOs.
    private func handshake(deadline: Deadline) throws(HTTPClientError) {
        guard let tls else { return }
        while true {
            ERR_clear_error()
            let result = SSL_do_handshake(tls.ssl)
            if result == 1 { return try sendCiphertext(deadline: deadline) }
            let code = SSL_get_error(tls.ssl, result)
            guard code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE else {
                let error = tls.handshakeError(queue: .drainingQueue(operation: "SSL_do_handshake"))
                try? sendCiphertext(deadline: min(deadline, .now + .milliseconds(100)))  // the alert, best effort
                throw .tls(error)
            }
            try sendCiphertext(deadline: deadline)
            if code == SSL_ERROR_WANT_READ, try !receiveCiphertext(deadline: deadline) { throw .tls(.closedDuringHandshake) }
        }
    }

    // MARK: Sending and receiving

    /// Sends all of `bytes` (encrypted first on a TLS connection).
    func transmit(_ bytes: [UInt8], deadline: Deadline) throws(HTTPClientError) {
        guard let tls else { return try sendRaw(bytes, deadline: deadline) }
        guard !bytes.isEmpty else { return }
        ERR_clear_error()
        let written = bytes.withUnsafeBytes { SSL_write(tls.ssl, $0.baseAddress, Int32($0.count)) }
        guard written == Int32(bytes.count) else { throw .tls(.protocolError(.drainingQueue(operation: "SSL_write"))) }
        try sendCiphertext(deadline: deadline)
    }

    /// Appends more plaintext to `received`. Returns `.open` when bytes arrived, otherwise how the stream ended.
    func receiveMore(deadline: Deadline) throws(HTTPClientError) -> HTTPStreamEnd {
        guard let tls else {
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            let count = try receiveRaw(into: &chunk, deadline: deadline)
            if count == 0 { return .clean }
            received += chunk[..<count]
            return .open
        }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            ERR_clear_error()
            let result = chunk.withUnsafeMutableBytes { SSL_read(tls.ssl, $0.baseAddress, Int32($0.count)) }
            if result > 0 {
                received += chunk[..<Int(result)]
                return .open
            }
            switch SSL_get_error(tls.ssl, result) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                try sendCiphertext(deadline: deadline)  // e.g. a KeyUpdate reply
                if try !receiveCiphertext(deadline: deadline) { return .unclean }
            case SSL_ERROR_ZERO_RETURN:
                return .clean
            default:
                throw .tls(.protocolError(.drainingQueue(operation: "SSL_read")))
            }
        }
    }

    /// Nothing arrived and nothing is pending while the connection sat idle: a request may be sent on it.
    var isReusable: Bool {
        guard receivedStart == received.count else { return false }
        var entry = pollfd(fd: fd, events: Int16(POLLIN) | 0x2000 /* POLLRDHUP */, revents: 0)
        return poll(&entry, 1, 0) == 0
    }

    /// Sends close_notify (TLS, best effort, without waiting for the peer's); the descriptor closes with the object.
    func shutdown() {
        guard let tls else { return }
        ERR_clear_error()
        _ = SSL_shutdown(tls.ssl)
        ERR_clear_error()
        try? sendCiphertext(deadline: .now + .milliseconds(100))
    }

    private func sendCiphertext(deadline: Deadline) throws(HTTPClientError) {
        guard let tls, tls.pendingCiphertextCount > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: tls.pendingCiphertextCount)
        let count = buffer.withUnsafeMutableBytes { tls.takeCiphertext(into: $0) }
        try sendRaw(Array(buffer[..<count]), deadline: deadline)
    }

    /// Feeds the next ciphertext from the socket to OpenSSL; false at the end of the TCP stream.
    private func receiveCiphertext(deadline: Deadline) throws(HTTPClientError) -> Bool {
        guard let tls else { return false }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = try receiveRaw(into: &chunk, deadline: deadline)
        guard count > 0 else { return false }
        chunk.withUnsafeBytes { tls.receive(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        return true
    }

    private func sendRaw(_ bytes: [UInt8], deadline: Deadline) throws(HTTPClientError) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if count > 0 { sent += count; continue }
            switch errno {
            case EINTR: continue
            case EAGAIN:
                guard try Self.wait(fd, for: Int16(POLLOUT), until: deadline) else { throw .timeout(host: host, port: port) }
            default: throw closedOrFailed(errno)
            }
        }
    }

    /// Up to `chunk.count` bytes from the socket; 0 at the end of the stream.
    private func receiveRaw(into chunk: inout [UInt8], deadline: Deadline) throws(HTTPClientError) -> Int {
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count >= 0 { return count }
            switch errno {
            case EINTR: continue
            case EAGAIN:
                guard try Self.wait(fd, for: Int16(POLLIN), until: deadline) else { throw .timeout(host: host, port: port) }
            case ECONNRESET: return 0
            default: throw closedOrFailed(errno)
            }
        }
    }

    private func closedOrFailed(_ code: Int32) -> HTTPClientError {
        code == EPIPE || code == ECONNRESET || code == ENOTCONN || code == ESHUTDOWN
            ? .connectionClosed(host: host, port: port) : .connectFailed(host: host, port: port, reason: String(cString: strerror(code)))
    }

    /// Waits until `fd` is ready for `events` (or has an error or hang-up to report); false when `deadline` passes first.
    private static func wait(_ fd: Int32, for events: Int16, until deadline: Deadline) throws(HTTPClientError) -> Bool {
        while true {
            let remaining = MonotonicInstant.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { return true }  // the following send/recv reports the error
        }
    }

}
