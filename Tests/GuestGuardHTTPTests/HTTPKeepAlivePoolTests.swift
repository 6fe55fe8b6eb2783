import GuestGuardHTTP
import Testing

/// A client with many requests in flight (the broker's load generator) keeps a kept-alive
/// connection for each (`maxIdleConnectionsPerOrigin`) instead of connecting anew; the guest's
/// default stays one.
@Suite struct HTTPKeepAlivePoolTests {
    @Test func concurrentRequestsReuseOneKeptAliveConnectionEach() async throws {
        let width = 4
        try await TestServer.with { _, port in
            let client = try HTTPClient(configuration: HTTPClientConfiguration(maxIdleConnectionsPerOrigin: width))
            defer { client.shutdown() }
            var peers: [String] = []
            for _ in 0..<5 {
                let round = try await withThrowingTaskGroup(of: String.self) { group in
                    for _ in 0..<width {
                        group.addTask {
                            // executeOffPool: the blocking exchanges on threads of their own, the pool free for the server.
                            let response = try await client.executeOffPool(HTTPClientRequest(method: .get, url: HTTPURL("http://127.0.0.1:\(port)/peer")))
                            return String(decoding: response.body, as: UTF8.self)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                peers += round
            }
            #expect(peers.count == 5 * width)
            // Every request after the first round found an idle connection: at most `width` client ports.
            #expect(Set(peers).count <= width, "connections used: \(Set(peers).count)")
        }
    }

    @Test func oneIdleConnectionByDefaultAsTheGuestNeeds() async throws {
        try await TestServer.with { _, port in
            let client = try HTTPClient(configuration: HTTPClientConfiguration())
            defer { client.shutdown() }
            var peers: Set<String> = []
            for _ in 0..<4 {
                let response = try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("http://127.0.0.1:\(port)/peer")))
                peers.insert(String(decoding: response.body, as: UTF8.self))
            }
            #expect(peers.count == 1)
        }
    }
}
