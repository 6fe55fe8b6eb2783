import GuestGuardHTTP
import Logging
import Synchronization

/// A loopback stand-in for AMD's KDS (127.0.0.1 only, never the internet): serves what a test
/// puts at a KDS path (`/vcek/v1/Milan/<hwid>?blSPL=…`, `/vcek/v1/Milan/cert_chain`, `/vcek/v1/Milan/crl`)
/// and answers 404 for anything else, as KDS does for an unknown chip or TCB. It counts requests.
public final class KDSStandIn: Sendable {
    /// What a path answers.
    public enum Behavior: Sendable {
        case serve([UInt8])
        /// Sleeps this long, then serves.
        case slow(milliseconds: Int, [UInt8])
        /// 429 with `Retry-After` the first `times` requests, then serves.
        case tooManyRequests(retryAfter: Int, times: Int, then: [UInt8])
        case status(Int)
    }

    private let routes = Mutex<[String: Behavior]>([:])
    private let hits = Mutex<[String: Int]>([:])
    private let server: HTTPServer
    public let port: Int
    private let tls: Bool

    /// `http://127.0.0.1:<port>` (`https` when started with TLS).
    public var baseURL: String { "\(tls ? "https" : "http")://127.0.0.1:\(port)" }

    private init(server: HTTPServer, port: Int, tls: Bool) {
        self.server = server
        self.port = port
        self.tls = tls
    }

    /// - Parameter tls: serve https with this identity.
    public static func start(tls: TLSServerConfiguration? = nil) async throws -> KDSStandIn {
        let box = StandInReference()
        var router = HTTPRouter()
        router.add(.get, "/vcek/v1/*") { request in
            guard let standIn = box.value.withLock({ $0 }) else { return HTTPResponse(status: HTTPStatus(code: 503)) }
            return await standIn.answer(request)
        }
        let server = try HTTPServer(configuration: HTTPServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0), tls: tls), router: router,
                                    logger: Logger(label: "kds-stand-in", factory: { _ in SwiftLogNoOpLogHandler() }))
        guard case .tcp(_, let port) = try await server.start() else { throw HTTPServerError.alreadyShutDown }
        let standIn = KDSStandIn(server: server, port: port, tls: tls != nil)
        box.value.withLock { $0 = standIn }
        Task { try? await server.run() }
        return standIn
    }

    /// Makes `path` (with its query, exactly as the client sends it) answer with `behavior`.
    public func set(_ path: String, _ behavior: Behavior) { routes.withLock { $0[path] = behavior } }

    /// Requests seen for `path`.
    public func requests(_ path: String) -> Int { hits.withLock { $0[path] ?? 0 } }

    /// Requests seen in all.
    public var totalRequests: Int { hits.withLock { $0.values.reduce(0, +) } }

    public func stop() async { await server.shutdown() }

    private func answer(_ request: HTTPRequest) async -> HTTPResponse {
        let key = request.path + (request.query.isEmpty ? "" : "?" + request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&"))
        let count = hits.withLock { hits -> Int in
            hits[key, default: 0] += 1
            return hits[key]!
        }
        switch routes.withLock({ $0[key] }) {
        case nil: return HTTPResponse.text(HTTPStatus(code: 404), "Not Found")
        case .serve(let body)?: return HTTPResponse(status: .ok, contentType: "application/octet-stream", body: body)
        case .slow(let milliseconds, let body)?:
            try? await Task.sleep(for: .milliseconds(milliseconds))
            return HTTPResponse(status: .ok, contentType: "application/octet-stream", body: body)
        case .tooManyRequests(let retryAfter, let times, let body)?:
            if count <= times { return HTTPResponse(status: HTTPStatus(code: 429), headers: ["Retry-After": String(retryAfter)], body: []) }
            return HTTPResponse(status: .ok, contentType: "application/octet-stream", body: body)
        case .status(let code)?: return HTTPResponse.text(HTTPStatus(code: code), "status \(code)")
        }
    }
}

/// Lets the router's handler reach the stand-in made after the server.
private final class StandInReference: Sendable {
    let value = Mutex<KDSStandIn?>(nil)
}
