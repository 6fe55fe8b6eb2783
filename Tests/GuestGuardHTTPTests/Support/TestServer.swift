import GuestGuardHTTP
import Logging

/// Builds the router every server test uses, plus a server on 127.0.0.1 port 0.
enum TestServer {
    static let logger = Logger(label: "guestguard.http.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Routes:
    /// - `GET /hello` → 200 "hello"
    /// - `POST /echo` → 200 with the request body, `X-Body-Count`, the `Cookie` echoed as `X-Cookie`
    /// - `GET /query` → the query items as `name=value;` pairs
    /// - `GET /peer` → the remote address
    /// - `GET|POST /kbs/v0/resource/*` → the path
    /// - `GET /big?size=N` → N bytes of "x"
    static func router(extra: (inout HTTPRouter) -> Void = { _ in }) -> HTTPRouter {
        var router = HTTPRouter()
        router.add(.get, "/hello") { _ in .text(.ok, "hello") }
        router.add(.post, "/echo") { request in
            var response = HTTPResponse(status: .ok, contentType: "application/octet-stream", body: request.body)
            response.headers.add(name: "X-Body-Count", value: String(request.body.count))
            if let cookie = request.headers["cookie"] { response.headers.add(name: "X-Cookie", value: cookie) }
            response.headers.add(name: "Set-Cookie", value: "kbs-session-id=0123456789abcdef0123456789abcdef")
            return response
        }
        router.add(.get, "/query") { request in
            .text(.ok, request.query.map { "\($0.name)=\($0.value);" }.joined())
        }
        router.add(.get, "/peer") { request in .text(.ok, request.remoteAddress.map { "\($0)" } ?? "none") }
        router.add(.get, "/kbs/v0/resource/*") { request in .text(.ok, request.path) }
        router.add(.get, "/big") { request in
            let size = request.queryValue("size").flatMap(Int.init) ?? 0
            return HTTPResponse(status: .ok, contentType: "text/plain", body: [UInt8](repeating: UInt8(ascii: "x"), count: size))
        }
        extra(&router)
        return router
    }

    /// Limits small enough that tests hit them quickly.
    static var testLimits: HTTPServerLimits {
        var limits = HTTPServerLimits()
        limits.maxHeadBytes = 4096
        limits.maxHeaderCount = 20
        limits.maxBodyBytes = 64 * 1024
        limits.idleTimeout = .seconds(1)
        limits.headTimeout = .seconds(1)
        limits.bodyTimeout = .seconds(1)
        limits.shutdownGracePeriod = .seconds(5)
        return limits
    }

    /// Starts a server, runs `body` with it and its port, and always shuts it down.
    static func with<T>(
        limits: HTTPServerLimits = testLimits, tls: TLSServerConfiguration? = nil, router: HTTPRouter = router(),
        handlerExecution: HTTPHandlerExecution = .concurrencyPool, _ body: (HTTPServer, Int) async throws -> T
    ) async throws -> T {
        var configuration = HTTPServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0), limits: limits, tls: tls)
        configuration.handlerExecution = handlerExecution
        let server = try HTTPServer(configuration: configuration, router: router, logger: logger)
        let address = try await server.start()
        guard case .tcp(_, let port) = address else { fatalError("TCP server reported \(address)") }
        do {
            let result = try await body(server, port)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }
}
