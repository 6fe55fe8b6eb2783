import GuestGuardHTTP
import ServiceLifecycle

/// Runs an `HTTPServer` as a `Service`: graceful shutdown stops accepting, lets in-flight
/// requests finish (up to the server's grace period) and returns when every connection closed.
struct HTTPServerService: Service, CustomStringConvertible {
    let server: HTTPServer

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await server.run()
        } onGracefulShutdown: { [server] in
            Task { await server.shutdown() }
        }
    }

    var description: String { "HTTPServer(\(server.configuration.address))" }
}
