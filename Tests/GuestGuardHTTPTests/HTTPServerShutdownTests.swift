import GuestGuardHTTP
import Testing

/// Graceful shutdown: stop accepting, finish what is in flight, close the rest, then return.
@Suite struct HTTPServerShutdownTests {
    /// A started server whose `GET /gated` waits for `gate`, and which does not time out idle
    /// connections during the test.
    static func gatedServer(gate: Gate, gracePeriod: Duration = .seconds(5)) async throws -> (HTTPServer, Int) {
        let router = TestServer.router { router in
            router.add(.get, "/gated") { _ in
                await gate.wait()
                return .text(.ok, "finished")
            }
        }
        var limits = TestServer.testLimits
        limits.idleTimeout = .seconds(30)
        limits.shutdownGracePeriod = gracePeriod
        let server = try HTTPServer(
            configuration: HTTPServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0), limits: limits),
            router: router, logger: TestServer.logger)
        guard case .tcp(_, let port) = try await server.start() else { throw HTTPServerError.alreadyShutDown }
        return (server, port)
    }

    /// Sends `GET /gated` and waits until its handler is running.
    static func startGatedRequest(port: Int, gate: Gate) async throws -> RawTestConnection {
        let connection = try await RawTestConnection.connect(port: port)
        try await connection.send("GET /gated HTTP/1.1\r\nHost: t\r\n\r\n")
        for _ in 0..<500 where gate.arrivalCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(gate.arrivalCount == 1)
        return connection
    }

    @Test func inFlightRequestFinishesAndIdleConnectionsClose() async throws {
        let gate = Gate()
        let (server, port) = try await Self.gatedServer(gate: gate)
        let running = Task { try await server.run() }
        let idle = try await RawTestConnection.connect(port: port)
        let busy = try await Self.startGatedRequest(port: port, gate: gate)

        let shutdown = Task { await server.shutdown() }
        #expect(try await idle.waitForClose())
        // The listener is gone: new connections are refused.
        var refused = false
        for _ in 0..<100 where !refused {
            do {
                let late = try await RawTestConnection.connect(port: port)
                await late.close()
                try await Task.sleep(for: .milliseconds(10))
            } catch {
                refused = true
            }
        }
        #expect(refused)
        #expect(!busy.isClosed)

        gate.open()
        let response = try await busy.readResponse()
        #expect(response.text == "finished")
        #expect(response.header("connection") == "close")
        #expect(try await busy.waitForClose())
        await shutdown.value
        try await running.value
        #expect(server.openConnectionCount == 0)
    }

    @Test func gracePeriodForcesStuckConnectionsClosed() async throws {
        let gate = Gate()
        let (server, port) = try await Self.gatedServer(gate: gate, gracePeriod: .milliseconds(300))
        let stuck = try await Self.startGatedRequest(port: port, gate: gate)
        await server.shutdown()
        #expect(try await stuck.waitForClose())
        gate.open()
    }

    @Test func runReturnsWhenItsTaskIsCancelled() async throws {
        let server = try HTTPServer(
            configuration: HTTPServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0), limits: TestServer.testLimits),
            router: TestServer.router(), logger: TestServer.logger)
        guard case .tcp(_, let port) = try await server.start() else { Issue.record("not TCP"); return }
        let running = Task { try await server.run() }
        try await expectServing(port: port)
        running.cancel()
        try await running.value
        await #expect(throws: (any Error).self) { try await RawTestConnection.connect(port: port) }
    }

    @Test func startAfterShutdownFails() async throws {
        let server = try HTTPServer(
            configuration: HTTPServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0)),
            router: TestServer.router(), logger: TestServer.logger)
        await server.shutdown()
        await #expect(throws: HTTPServerError.alreadyShutDown) { try await server.start() }
    }

    @Test func ipv6LoopbackAndPortInUse() async throws {
        let server = try HTTPServer(
            configuration: HTTPServerConfiguration(address: .tcp(host: "::1", port: 0), limits: TestServer.testLimits),
            router: TestServer.router(), logger: TestServer.logger)
        guard case .tcp(let host, let port) = try await server.start() else { Issue.record("not TCP"); return }
        #expect(host == "::1")
        #expect(port > 0)
        let connection = try await RawTestConnection.connect(port: port, host: "::1")
        try await connection.send("GET /peer HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await connection.readResponse().text.hasPrefix("[::1]:"))

        let clash = try HTTPServer(
            configuration: HTTPServerConfiguration(address: .tcp(host: "::1", port: port)),
            router: TestServer.router(), logger: TestServer.logger)
        await #expect {
            try await clash.start()
        } throws: { error in
            guard case HTTPServerError.bindFailed(.tcp("::1", port), _) = error else { return false }
            return true
        }
        await server.shutdown()
    }
}
