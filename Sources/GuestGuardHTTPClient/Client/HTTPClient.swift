#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform
import Synchronization

/// guestguard's one HTTP/1.1 client (the guest's key-broker exchange, the broker's KDS fetches, `guestguard`
/// CLI calls): blocking sockets under `poll` deadlines, no event loop, so the initramfs' `guestguard-boot`
/// links no SwiftNIO. One request at a time per connection, `Content-Length` request bodies,
/// `Content-Length`, chunked or close-delimited responses under a hard size limit, no redirects, no cookie
/// jar (the caller passes `Cookie` and reads `Set-Cookie`). TLS runs over the system OpenSSL and trusts
/// only pins. A client with a TLS configuration refuses `http` URLs; one without refuses `https` URLs.
/// `execute` blocks the calling thread (`guestguard-boot` links no Swift concurrency); services on Swift's
/// cooperative pool call it through GuestGuardHTTP's `executeOffPool`, which runs it on a thread of its own.
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    private let tlsContext: TLSContext?
    /// Idle connections per origin (at most `maxIdleConnectionsPerOrigin`), waiting for the next
    /// request; the most recently used is taken first.
    private let idle = Mutex<[String: [HTTPClientConnection]]>([:])

    /// Loads the TLS trust (pinned CA or leaf pins) so that configuration errors surface here.
    public init(configuration: HTTPClientConfiguration) throws(HTTPClientError) {
        self.configuration = configuration
        do { tlsContext = try configuration.tls.map { tls throws(TLSError) in try TLSContext.client(tls) } } catch {
            throw .tls(error)
        }
    }

    /// Sends `request` and returns the complete response (any status; only transport failures throw).
    /// Blocks the calling thread until the response is complete or the request's deadline passes;
    /// `cancellation.cancel()` (from another thread) shuts the connection down, which ends the exchange with an error.
    public func execute(_ request: HTTPClientRequest, cancellation: HTTPClientCancellation = HTTPClientCancellation()) throws(HTTPClientError) -> HTTPResponse {
        let url = request.url
        let tls: TLSContext?
        switch url.scheme {
        case .http:
            // A client that authenticates servers never talks without TLS: an http URL would drop the pin (a downgrade).
            guard tlsContext == nil else {
                throw .invalidRequest(reason: "plain http URL \(url) on a client that authenticates servers by TLS (pinned CA or key): refused, no downgrade")
            }
            tls = nil
        case .https:
            guard let tlsContext else { throw .invalidRequest(reason: "https URL \(url) but no TLS configuration") }
            tls = tlsContext
        }
        let head = try makeHead(request)
        let deadline = MonotonicInstant.now + (request.timeout ?? configuration.requestTimeout)
        let connectTimeout = request.connectTimeout ?? configuration.connectTimeout
        return try exchange(head: head + request.body, method: request.method, url: url, tls: tls, connectTimeout: connectTimeout,
                            deadline: deadline, cancellation: cancellation)
    }

    /// Closes the idle connections. Requests in flight are not affected.
    public func shutdown() {
        let connections = idle.withLock { idle -> [HTTPClientConnection] in
            defer { idle.removeAll() }
            return idle.values.flatMap { $0 }
        }
        connections.forEach { $0.shutdown() }
    }

    /// One exchange, on a reused connection when one is idle (and retried once on a fresh connection
    /// when the server had closed it before answering), else on a new one.
    private func exchange(head: [UInt8], method: HTTPRequestMethod, url: HTTPURL, tls: TLSContext?, connectTimeout: Duration,
                          deadline: MonotonicInstant, cancellation: HTTPClientCancellation) throws(HTTPClientError) -> HTTPResponse {
        let origin = "\(url.scheme.rawValue)://\(url.authority)"
        let reused = takeIdle(origin)
        var connection: HTTPClientConnection
        if let reused { connection = reused } else {
            connection = try HTTPClientConnection.open(to: url, tls: tls, connectTimeout: connectTimeout, deadline: deadline)
        }
        var result: HTTPResponseReader.Outcome
        do {
            result = try send(head, on: connection, method: method, deadline: deadline, cancellation: cancellation)
        } catch .closedBeforeResponse where reused != nil {
            connection = try HTTPClientConnection.open(to: url, tls: tls, connectTimeout: connectTimeout, deadline: deadline)
            do { result = try send(head, on: connection, method: method, deadline: deadline, cancellation: cancellation) } catch {
                throw error.clientError(url)
            }
        } catch {
            throw error.clientError(url)
        }
        if result.keepAlive, configuration.keepAlive {
            let limit = configuration.maxIdleConnectionsPerOrigin
            let displaced = idle.withLock { idle -> HTTPClientConnection? in
                idle[origin, default: []].append(connection)
                return idle[origin]!.count > limit ? idle[origin]!.removeFirst() : nil
            }
            displaced?.shutdown()
        } else {
            connection.shutdown()
        }
        return result.response
    }

    /// The most recently returned idle connection to `origin` that can still be used (others are closed).
    private func takeIdle(_ origin: String) -> HTTPClientConnection? {
        let (found, stale) = idle.withLock { idle -> (HTTPClientConnection?, [HTTPClientConnection]) in
            var stale: [HTTPClientConnection] = []
            while let connection = idle[origin]?.popLast() {
                if connection.isReusable { return (connection, stale) }
                stale.append(connection)
            }
            return (nil, stale)
        }
        stale.forEach { $0.shutdown() }
        return found
    }

    private func send(_ request: [UInt8], on connection: HTTPClientConnection, method: HTTPRequestMethod, deadline: MonotonicInstant,
                      cancellation: HTTPClientCancellation) throws(HTTPResponseReader.Failure) -> HTTPResponseReader.Outcome {
        guard cancellation.watch(connection) else { throw .failed(.connectionClosed(host: connection.host, port: connection.port)) }
        defer { cancellation.watch(nil) }
        do { try connection.transmit(request, deadline: deadline) } catch .connectionClosed { throw .closedBeforeResponse } catch {
            throw .failed(error)
        }
        return try HTTPResponseReader(connection: connection, deadline: deadline, maxBodyBytes: configuration.maxResponseBodyBytes).read(method: method)
    }

    /// The request line and header fields, ending with the empty line.
    private func makeHead(_ request: HTTPClientRequest) throws(HTTPClientError) -> [UInt8] {
        guard !request.method.rawValue.isEmpty, request.method.rawValue.utf8.allSatisfy(HTTPResponseReader.isTokenByte) else {
            throw .invalidRequest(reason: "method \(request.method) is not a token")
        }
        var lines = ["\(request.method.rawValue) \(request.url.target) HTTP/1.1", "Host: \(request.url.authority)"]
        for field in request.headers {
            for byte in (field.name + field.value).utf8 where byte == 0x0D || byte == 0x0A || byte == 0 {
                throw .invalidRequest(reason: "header \(field.name) contains CR, LF or NUL")
            }
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(HTTPResponseReader.isTokenByte) else {
                throw .invalidRequest(reason: "header name \(field.name) is not a token")
            }
            switch field.name.lowercased() {
            case "content-length", "transfer-encoding", "connection", "host": continue
            default: lines.append("\(field.name): \(field.value)")
            }
        }
        if let userAgent = configuration.userAgent, !request.headers.contains("user-agent") { lines.append("User-Agent: \(userAgent)") }
        if !request.body.isEmpty || [.post, .put, .patch].contains(request.method) { lines.append("Content-Length: \(request.body.count)") }
        if !configuration.keepAlive { lines.append("Connection: close") }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }
}

extension HTTPResponseReader.Failure {
    func clientError(_ url: HTTPURL) -> HTTPClientError {
        switch self {
        case .closedBeforeResponse: return .connectionClosed(host: url.host, port: url.port)
        case .failed(let error): return error
        }
    }
}

/// Ends an exchange from another thread (a cancelled task, GuestGuardHTTP's `executeOffPool`): `cancel` shuts the
/// watched connection's socket down, which wakes the exchange's `poll` with an end of stream.
public final class HTTPClientCancellation: Sendable {
    private let state = Mutex<(cancelled: Bool, fd: Int32?)>((false, nil))

    public init() {}

    /// Watches `connection` (nil: none); false when already cancelled.
    @discardableResult
    func watch(_ connection: HTTPClientConnection?) -> Bool {
        state.withLock { state in
            state.fd = connection?.fd
            return !state.cancelled
        }
    }

    public func cancel() {
        state.withLock { state in
            state.cancelled = true
            if let fd = state.fd { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }
}
