import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A minimal HTTP/1.1 client for the guest's key-broker exchange: one request at a time per
/// connection, `Content-Length` request bodies, `Content-Length`, chunked or close-delimited
/// responses under a hard size limit, no redirects, no cookie jar (the caller passes `Cookie`
/// and reads `Set-Cookie`). TLS runs over the system OpenSSL and trusts only pins. A client with a
/// TLS configuration refuses `http` URLs; one without refuses `https` URLs.
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    private let group: any EventLoopGroup
    private let tlsContext: TLSContext?
    /// Idle connections per origin (at most `maxIdleConnectionsPerOrigin`), waiting for the next
    /// request; the most recently used is taken first.
    private let idle = Mutex<[String: [HTTPClientConnection]]>([:])

    /// Loads the TLS trust (pinned CA or leaf pins) so that configuration errors surface here.
    public init(
        configuration: HTTPClientConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(HTTPClientError) {
        self.configuration = configuration
        self.group = eventLoopGroup
        do { tlsContext = try configuration.tls.map { tls throws(TLSError) in try TLSContext.client(tls) } } catch {
            throw .tls(error)
        }
    }

    /// Sends `request` and returns the complete response (any status; only transport failures throw).
    public func execute(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPResponse {
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
        let deadline = NIODeadline.now() + TimeAmount(request.timeout ?? configuration.requestTimeout)
        let head = try makeHead(request)
        let origin = "\(url.scheme.rawValue)://\(url.authority)"
        let reused = takeIdle(origin)
        let connectTimeout = TimeAmount(request.connectTimeout ?? configuration.connectTimeout)
        var connection: HTTPClientConnection
        if let reused {
            connection = reused
        } else {
            connection = try await HTTPClientConnection.connect(
                to: url, tls: tls, group: group, connectTimeout: connectTimeout, deadline: deadline,
                maxBodyBytes: configuration.maxResponseBodyBytes)
        }
        let result: HTTPClientExchange.Result
        do {
            result = try await connection.execute(head: head, body: request.body, deadline: deadline)
        } catch .closedBeforeResponse where reused != nil {
            // The server closed the kept-alive connection while it was idle: one fresh attempt.
            connection = try await HTTPClientConnection.connect(
                to: url, tls: tls, group: group, connectTimeout: connectTimeout, deadline: deadline,
                maxBodyBytes: configuration.maxResponseBodyBytes)
            do { result = try await connection.execute(head: head, body: request.body, deadline: deadline) } catch {
                throw error.clientError(url)
            }
        } catch {
            throw error.clientError(url)
        }
        if result.keepAlive, connection.isActive {
            let limit = configuration.maxIdleConnectionsPerOrigin
            let displaced = idle.withLock { idle -> HTTPClientConnection? in
                idle[origin, default: []].append(connection)
                return idle[origin]!.count > limit ? idle[origin]!.removeFirst() : nil
            }
            displaced?.close()
        }
        return result.response
    }

    /// The most recently returned idle connection to `origin` that is still open (closed ones are dropped).
    private func takeIdle(_ origin: String) -> HTTPClientConnection? {
        idle.withLock { idle -> HTTPClientConnection? in
            while let connection = idle[origin]?.popLast() {
                if connection.isActive { return connection }
            }
            return nil
        }
    }

    /// Closes the idle connections. Requests in flight are not affected.
    public func shutdown() {
        let connections = idle.withLock { idle -> [HTTPClientConnection] in
            defer { idle.removeAll() }
            return idle.values.flatMap { $0 }
        }
        connections.forEach { $0.close() }
    }

    private func makeHead(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        for field in request.headers {
            for byte in (field.name + field.value).utf8 where byte == 0x0D || byte == 0x0A || byte == 0 {
                throw .invalidRequest(reason: "header \(field.name) contains CR, LF or NUL")
            }
            switch field.name.lowercased() {
            case "content-length", "transfer-encoding", "connection", "host": continue
            default: headers.add(name: field.name, value: field.value)
            }
        }
        headers.add(name: "Host", value: request.url.authority)
        if let userAgent = configuration.userAgent, !request.headers.contains("user-agent") {
            headers.add(name: "User-Agent", value: userAgent)
        }
        if !request.body.isEmpty || [.post, .put, .patch].contains(request.method) {
            headers.add(name: "Content-Length", value: String(request.body.count))
        }
        if !configuration.keepAlive { headers.add(name: "Connection", value: "close") }
        return HTTPRequestHead(
            version: .http1_1, method: HTTPMethod(rawValue: request.method.rawValue), uri: request.url.target,
            headers: headers)
    }
}

extension HTTPClientConnection.ExchangeFailure {
    func clientError(_ url: HTTPURL) -> HTTPClientError {
        switch self {
        case .closedBeforeResponse: return .connectionClosed(host: url.host, port: url.port)
        case .failed(let error): return error
        }
    }
}
