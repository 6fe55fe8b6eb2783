import Foundation
import GuestGuardLinuxProcesses
import GuestGuardHTTP
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import KeyBrokerClient
import KeyBrokerJWE
import KeyBrokerServer
import KeyBrokerTestSupport
import Logging
import SNPSimulator
import Testing

/// Issue 12 acceptance for defect 7: a bounded flood of `/auth` from one client (127.0.0.2, a
/// Python process) against the real broker over HTTPS on loopback, while a legitimate guest
/// (127.0.0.1, guestguard's own client) still gets its key. The broker's clock is manual, so the
/// buckets do not refill during the test and every count is exact.
@Suite(.serialized) struct BrokerFloodLoopbackTests {
    static let burst = 8
    static let capacity = 32

    /// A self-signed certificate for 127.0.0.1 (the guest pins it as its CA).
    static func certificate(in directory: String) throws -> (cert: String, key: String) {
        let outcome = try ProgramRunner(timeout: .seconds(120)).run(
            "/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                                 "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                                 "-keyout", directory + "/key.pem", "-out", directory + "/cert.pem"])
        try #require(outcome.status == 0, "\(outcome.standardError)")
        return (directory + "/cert.pem", directory + "/key.pem")
    }

    /// `count` sequential `POST /kbs/v0/auth` from 127.0.0.2 (new connection each); prints
    /// `{"200": n, "429": m, …}`.
    static func flood(port: Int, count: Int) throws -> ChildProcess {
        let script = """
            import http.client, json, ssl, sys
            context = ssl._create_unverified_context()
            body = json.dumps({"version": "0.4.0", "tee": "snp", "extra-params": ""})
            counts = {}
            for _ in range(\(count)):
                connection = http.client.HTTPSConnection("127.0.0.1", \(port), context=context, source_address=("127.0.0.2", 0), timeout=30)
                connection.request("POST", "/kbs/v0/auth", body, {"Content-Type": "application/json"})
                status = str(connection.getresponse().status)
                counts[status] = counts.get(status, 0) + 1
                connection.close()
            print(json.dumps(counts))
            """
        return try ChildProcess("python3", ["-c", script])
    }

    static func finish(_ flood: ChildProcess) async throws -> [String: Int] {
        let status = await flood.waitForExit(timeout: .seconds(600))
        try #require(status == 0, "the flood: \(flood.output)")
        return try JSONDecoder().decode([String: Int].self, from: Data(flood.standardOutputBytes))
    }

    struct Running {
        let broker: BrokerHarness
        let server: HTTPServer
        let port: Int
        let guest: KeyBrokerClient
    }

    func start(limits: BrokerLimits) async throws -> Running {
        let broker = try BrokerHarness(jwe: true, sessions: BrokerSessionStore(lifetime: 300, capacity: Self.capacity), limits: limits)
        let (cert, key) = try Self.certificate(in: broker.tree.root)
        let configuration = HTTPServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0),
                                                    tls: try TLSServerConfiguration(certificateChainFile: cert, privateKeyFile: key))
        let server = try HTTPServer(configuration: configuration, router: broker.service.router(), logger: Logger(label: "flood-test"))
        guard case .tcp(_, let port) = try await server.start() else { throw CancellationError() }
        Task { try? await server.run() }
        let http = try HTTPClient(configuration: HTTPClientConfiguration(tls: try TLSClientConfiguration(pinnedCAFile: cert)))
        let guest = KeyBrokerClient(brokers: ["https://127.0.0.1:\(port)"], transport: HTTPKBSTransport(client: http),
                                    reports: SimulatedReportProvider(processor: broker.simulator), clock: RecordingClock(now: Timestamp(seconds: 1_795_500_000)),
                                    random: GetrandomSource(), retry: RetryPolicy.once) { try EphemeralKeyPair(.p256) }
        return Running(broker: broker, server: server, port: port, guest: guest)
    }

    /// Waits (polling, not timing anything) until the flood has been refused `count` times.
    func waitForRefusals(_ broker: BrokerHarness, _ count: Int, flood: ChildProcess) async throws {
        while broker.service.metrics.rateLimitedCount("auth") < count && flood.isRunning { try await Task.sleep(for: .milliseconds(20)) }
    }

    @Test func aLegitimateGuestGetsItsKeyDuringAnAuthFloodFromAnotherAddress() async throws {
        let running = try await start(limits: BrokerLimits(auth: .init(burst: Self.burst, perSecond: 0.01), attest: .init(burst: Self.burst, perSecond: 0.01)))
        let floodCount = 300
        let flood = try Self.flood(port: running.port, count: floodCount)
        // The flood is under way and already refused: the guest comes in the middle of it.
        try await waitForRefusals(running.broker, 40, flood: flood)
        #expect(flood.isRunning, "the guest must arrive while the flood goes on")
        let (_, secret, keyID) = try await running.guest.fetchReleasing(resource: "default/disk/root")
        let counts = try await Self.finish(flood)

        #expect(secret.withUnsafeBytes { Array($0) } == running.broker.diskKey)
        #expect(keyID == running.broker.audit.all.first { $0.decision == .release }?.keyFingerprint)
        #expect(counts == ["200": Self.burst, "429": floodCount - Self.burst], "the flooder gets its burst, then only 429")
        #expect(running.broker.service.metrics.rateLimitedCount("auth") == floodCount - Self.burst)
        #expect(running.broker.sessions!.count == Self.burst + 1)
        // The audit names the flooder's address only for the sessions it got; the guest's release is from 127.0.0.1.
        #expect(running.broker.audit.all.first { $0.decision == .release }?.client?.hasPrefix("127.0.0.1:") == true)
        await running.server.shutdown()
    }

    /// The control: without per-client limits the same flood fills the session table; the cap
    /// refuses the guest (429, Retry-After) rather than evicting a live session. This is what the
    /// per-client buckets prevent.
    @Test func withoutPerClientLimitsTheFloodFillsTheTableAndTheCapRefusesNewcomers() async throws {
        let unlimited = ClientRateLimiter.Settings(burst: 100_000, perSecond: 1)
        let running = try await start(limits: BrokerLimits(auth: unlimited, attest: unlimited))
        let counts = try await Self.finish(try Self.flood(port: running.port, count: Self.capacity + 8))
        #expect(counts == ["200": Self.capacity, "429": 8])
        do {
            _ = try await running.guest.fetch(resource: "default/disk/root")
            Issue.record("the guest got a session from a full table")
        } catch {
            guard case .allBrokersFailed(let failures) = error, case .refused(_, "auth", 429, _, _) = failures.first else {
                Issue.record("unexpected \(error)")
                return
            }
        }
        #expect(running.broker.service.metrics.sessionCapRefusals == 9)
        #expect(running.broker.sessions!.count == Self.capacity, "no live session was evicted")
        await running.server.shutdown()
    }
}
