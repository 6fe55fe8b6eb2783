import CanonicalJSON
import GuestGuardCore
import GuestGuardPosture
import GuestGuardHTTP
import NIOPosix
import PostureService
import Testing

/// Every endpoint of a real daemon on loopback (TCP and the unix socket).
@Suite(.serialized) struct PostureEndpointTests {
    static func client() throws -> HTTPClient { try HTTPClient(configuration: HTTPClientConfiguration(requestTimeout: .seconds(20))) }

    static func get(_ client: HTTPClient, _ url: String, method: HTTPRequestMethod = .get) async throws -> HTTPResponse {
        try await client.execute(HTTPClientRequest(method: method, url: try HTTPURL(url)))
    }

    @Test func healthzFollowsThePosture() async throws {
        let source = InMemoryPostureSource(PostureSnapshot(report: PostureFixtures.report([.ok, .ok])))
        let daemon = try await TestDaemon(source: source)
        let client = try Self.client()
        let healthy = try await Self.get(client, daemon.baseURL + "/healthz")
        #expect(healthy.status == .ok)
        #expect(healthy.body == Array("ok\n".utf8))
        let head = try await Self.get(client, daemon.baseURL + "/healthz", method: .head)
        #expect(head.status == .ok)
        #expect(head.body.isEmpty)

        source.set(PostureSnapshot(report: PostureFixtures.report([.ok, .warn], at: 1_795_000_050)))
        var status = HTTPStatus.ok
        for _ in 0..<100 where status == .ok {
            try await Task.sleep(for: .milliseconds(20))
            status = try await Self.get(client, daemon.baseURL + "/healthz").status
        }
        #expect(status == .serviceUnavailable)
        let body = try await Self.get(client, daemon.baseURL + "/healthz").body
        #expect(body == Array("warn\n".utf8))
        client.shutdown()
        try await daemon.stop()
    }

    @Test func postureIsTheCanonicalDocument() async throws {
        let snapshot = PostureSnapshot(report: PostureFixtures.report([.ok, .unknown, .fail]),
                                       driftEvents: [PostureDriftEvent(time: .init(seconds: 1_795_000_001), itemID: "item-2", channel: nil, change: "ok → fail: scripted", action: .reported)])
        let daemon = try await TestDaemon(source: InMemoryPostureSource(snapshot))
        let client = try Self.client()
        let response = try await Self.get(client, daemon.baseURL + "/v1/posture")
        #expect(response.status == .ok)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.body == (try snapshot.document.canonicalBytes()))
        let document = try JSONParser.parse(response.body)
        #expect(document["schema"]?.stringValue == "guestguard.status/v1")
        #expect(document["overall"]?.stringValue == "fail")
        #expect(document["items"]?.arrayValue?.count == 3)
        #expect(document["drift"]?["count"]?.int64Value == 1)
        #expect(document["drift"]?["events"]?.arrayValue?.first?["item"]?.stringValue == "item-2")
        // The same document over the root-only socket.
        let socketPath = daemon.socketPath
        let overSocket = try await NIOThreadPool.singleton.runIfActive { try PostureSocketClient.get("/v1/posture", socketPath: socketPath) }
        #expect(overSocket.status == 200)
        #expect(overSocket.body == response.body)
        client.shutdown()
        try await daemon.stop()
    }

    @Test func metricsExposeEveryItemDriftAndAttestations() async throws {
        let snapshot = PostureSnapshot(report: PostureFixtures.report([.ok, .unknown, .warn, .fail]), driftEvents: [], driftEventCount: 7)
        let daemon = try await TestDaemon(source: InMemoryPostureSource(snapshot))
        let client = try Self.client()
        let nonce = Base64URL.encode([UInt8](repeating: 7, count: 32))
        #expect(try await Self.get(client, daemon.baseURL + "/v1/attestation?nonce=\(nonce)").status == .ok)
        #expect(try await Self.get(client, daemon.baseURL + "/v1/attestation?nonce=short").status == .badRequest)
        let response = try await Self.get(client, daemon.baseURL + "/metrics")
        #expect(response.status == .ok)
        #expect(response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let lines = Set(String(decoding: response.body, as: UTF8.self).split(separator: "\n").map(String.init))
        for expected in [
            // Gauges as swift-prometheus renders them (floating point), counters as integers.
            "guestguard_build_info{version=\"test\"} 1.0", "guestguard_posture_ok 0.0",
            "guestguard_posture_item_state{item=\"item-0\"} 0.0", "guestguard_posture_item_state{item=\"item-1\"} 1.0",
            "guestguard_posture_item_state{item=\"item-2\"} 2.0", "guestguard_posture_item_state{item=\"item-3\"} 3.0",
            "guestguard_drift_events_total 7", "# TYPE guestguard_drift_events_total counter",
            "guestguard_attestations_total{outcome=\"issued\"} 1", "guestguard_attestations_total{outcome=\"rejected\"} 1",
            "guestguard_attestation_last_timestamp_seconds 1795000100.0", "guestguard_posture_evaluated_timestamp_seconds 1795000000.0",
        ] {
            #expect(lines.contains(expected), "missing \(expected)")
        }
        client.shutdown()
        try await daemon.stop()
    }

    @Test func attestationIsRateLimitedWithRetryAfter() async throws {
        let daemon = try await TestDaemon(source: InMemoryPostureSource(PostureSnapshot(report: PostureFixtures.report([.ok]))),
                                          attestation: .init(burst: 2, perSecond: 0.01))
        let client = try Self.client()
        let url = daemon.baseURL + "/v1/attestation?nonce=" + Base64URL.encode([UInt8](repeating: 1, count: 16))
        #expect(try await Self.get(client, url).status == .ok)
        #expect(try await Self.get(client, url).status == .ok)
        let limited = try await Self.get(client, url)
        #expect(limited.status.code == 429)
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1)
        // The limit applies to attestation only.
        #expect(try await Self.get(client, daemon.baseURL + "/healthz").status == .ok)
        client.shutdown()
        try await daemon.stop()
    }

    @Test func shutdownRemovesTheSocketAndStopsServing() async throws {
        let daemon = try await TestDaemon(source: InMemoryPostureSource(PostureSnapshot(report: PostureFixtures.report([.ok]))))
        #expect(RawHTTP.status(await daemon.unix.get("/healthz")) == 200)
        try await daemon.stop()
        #expect(!daemon.directory.fileSystem.exists("/posture.sock"))
        #expect(await daemon.tcp.get("/healthz").hasPrefix("connect failed"))
    }
}
