import CanonicalJSON
import GuestGuardHTTP
import PostureService
import Testing

/// Requests an attacker sends: each gets a 4xx (or the connection is cut for the slow one), and
/// the daemon keeps serving `/healthz` afterwards, over TCP and over the unix socket.
@Suite(.serialized) struct HostileHTTPTests {
    static func daemon() async throws -> TestDaemon {
        var limits = PostureDaemonConfiguration.defaultLimits
        limits.headTimeout = .seconds(1)
        limits.bodyTimeout = .seconds(1)
        return try await TestDaemon(source: InMemoryPostureSource(PostureSnapshot(report: PostureFixtures.report([.ok]))), limits: limits)
    }

    static func stillServing(_ daemon: TestDaemon) async {
        #expect(RawHTTP.status(await daemon.tcp.get("/healthz")) == 200)
        #expect(RawHTTP.status(await daemon.unix.get("/healthz")) == 200)
    }

    static let requests: [(String, String, Int)] = [
        ("dot segments", "GET /v1/../healthz HTTP/1.1\r\nHost: t\r\n\r\n", 404),
        ("encoded dot segments", "GET /%2e%2e/healthz HTTP/1.1\r\nHost: t\r\n\r\n", 404),
        ("encoded slash", "GET /v1%2fposture HTTP/1.1\r\nHost: t\r\n\r\n", 404),
        ("traversal to a file", "GET /../../etc/shadow HTTP/1.1\r\nHost: t\r\n\r\n", 404),
        ("absolute form", "GET http://evil/healthz HTTP/1.1\r\nHost: t\r\n\r\n", 400),
        ("unknown path", "GET /v1/posture/extra HTTP/1.1\r\nHost: t\r\n\r\n", 404),
        ("missing nonce", "GET /v1/attestation HTTP/1.1\r\nHost: t\r\n\r\n", 400),
        ("empty nonce", "GET /v1/attestation?nonce= HTTP/1.1\r\nHost: t\r\n\r\n", 400),
        ("short nonce", "GET /v1/attestation?nonce=AAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: t\r\n\r\n", 400),
        ("oversized nonce", "GET /v1/attestation?nonce=\(Base64URL.encode([UInt8](repeating: 1, count: 65))) HTTP/1.1\r\nHost: t\r\n\r\n", 400),
        ("very long nonce", "GET /v1/attestation?nonce=\(String(repeating: "A", count: 4000)) HTTP/1.1\r\nHost: t\r\n\r\n", 400),
        ("padded nonce", "GET /v1/attestation?nonce=AAAAAAAAAAAAAAAAAAAAAA== HTTP/1.1\r\nHost: t\r\n\r\n", 400),
        ("standard base64 nonce", "GET /v1/attestation?nonce=AAAAAAAAAAAAAAAAAAAA+/ HTTP/1.1\r\nHost: t\r\n\r\n", 400),
        ("two nonces", "GET /v1/attestation?nonce=AAAAAAAAAAAAAAAAAAAAAA&nonce=AAAAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: t\r\n\r\n", 400),
        ("bad percent escape", "GET /v1/attestation?nonce=%zz HTTP/1.1\r\nHost: t\r\n\r\n", 400),
        ("POST", "POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n", 405),
        ("PUT", "PUT /v1/posture HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}", 413),
        ("DELETE", "DELETE /v1/posture HTTP/1.1\r\nHost: t\r\n\r\n", 405),
        ("unknown method", "BREW /healthz HTTP/1.1\r\nHost: t\r\n\r\n", 400),  // the parser knows no BREW
        ("GET with a body", "GET /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello", 413),
        ("chunked body", "GET /healthz HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 413),
        ("garbage", "\u{1}\u{2}\u{3} nonsense\r\n\r\n", 400),
        ("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400),
        ("huge header", "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "a", count: 20_000))\r\n\r\n", 431),
        ("many headers", "GET /healthz HTTP/1.1\r\nHost: t\r\n" + (0..<100).map { "X-H\($0): v\r\n" }.joined() + "\r\n", 431),
    ]

    @Test(arguments: Self.requests.indices)
    func isRefusedAndTheDaemonKeepsServing(index: Int) async throws {
        let (name, request, expected) = Self.requests[index]
        let daemon = try await Self.daemon()
        for endpoint in [daemon.tcp, daemon.unix] {
            let response = await endpoint.send(request)
            #expect(RawHTTP.status(response) == expected, "\(name): \(response.prefix(200))")
        }
        if expected == 405 {
            #expect(await daemon.tcp.send(request).contains("Allow: GET, HEAD"), "\(name)")
        }
        await Self.stillServing(daemon)
        try await daemon.stop()
    }

    @Test func slowLorisHeadIsCutOff() async throws {
        let daemon = try await Self.daemon()
        // One header line every 400 ms: the head is never complete within the 1 s head timeout.
        let pieces = ["GET /healthz HTTP/1.1\r\n"] + (0..<8).map { "X-Slow-\($0): 1\r\n" }
        let response = await daemon.tcp.exchange(pieces.map { Array($0.utf8) }, pause: .milliseconds(400))
        #expect(RawHTTP.status(response) == 408, "\(response.prefix(200))")
        await Self.stillServing(daemon)
        try await daemon.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let daemon = try await Self.daemon()
        let request = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        let response = await daemon.tcp.send(request, expectedResponses: 3)
        let statuses = response.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("HTTP/1.1 ") }.map { $0.split(separator: " ")[1] }
        #expect(statuses == ["200", "404", "200"])
        try await daemon.stop()
    }
}
