import Foundation
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import KeyBrokerClient
import KeyBrokerJWE
import KeyBrokerProtocol
import KeyBrokerServer
import SNPSimulator
import Synchronization
import KeyBrokerPostgresTestSupport
import KeyBrokerTestSupport
import GuestGuardHTTP
import Logging
import Testing

/// Delivers client requests to a broker service in the same process (no sockets).
final class InProcessTransport: KBSTransport {
    let services: [String: KeyBrokerService]
    /// Requests (broker, path) whose connection is refused, as if that broker had died.
    let refuses: @Sendable (String, String) -> Bool
    init(services: [String: KeyBrokerService], refuses: @escaping @Sendable (String, String) -> Bool = { _, _ in false }) {
        self.services = services
        self.refuses = refuses
    }
    let log = Mutex<[String]>([])

    func send(_ request: KBSHTTPRequest, to broker: String) throws(KeyBrokerClientError) -> KBSHTTPResponse {
        log.withLock { $0.append("\(broker) \(request.method) \(request.path)") }
        guard let service = services[broker], !refuses(broker, request.path) else { throw .transport(broker: broker, reason: "connection refused") }
        let response = service.handleBlocking(BrokerRequest(method: request.method, path: request.path, headers: request.headers, body: request.body))
        return KBSHTTPResponse(status: response.status, headers: response.headers, body: response.body)
    }
}

/// The guest's RCAR client against the real broker service and the real JWE, with reports from
/// the simulated secure processor.
@Suite struct KeyBrokerClientTests {
    func client(_ brokers: [String], _ transport: InProcessTransport, _ simulator: SimulatedSecureProcessor, clock: any WallClock = RecordingClock(now: Timestamp(seconds: 1_795_500_000)),
                keyType: EphemeralKeyPair.KeyType = .p256) -> KeyBrokerClient
    {
        KeyBrokerClient(brokers: brokers, transport: transport, reports: SimulatedReportProvider(processor: simulator), clock: clock,
                        random: GetrandomSource(), retry: RetryPolicy(attempts: 3, initialDelay: .milliseconds(10), maximumDelay: .seconds(8))) { try EphemeralKeyPair(keyType) }
    }

    @Test(arguments: BrokerBackend.allCases, [EphemeralKeyPair.KeyType.p256, .rsa(bits: 2048)])
    func obtainsTheKeyAndTheAuditShowsOneRelease(backend: BrokerBackend, keyType: EphemeralKeyPair.KeyType) async throws {
        let broker = try await backend.harness(jwe: true)
        let transport = InProcessTransport(services: ["https://kbs.example": broker.service])
        let key = try await client(["https://kbs.example"], transport, broker.simulator, keyType: keyType).fetch(resource: "default/disk/root")
        #expect(key.withUnsafeBytes { Array($0) } == broker.diskKey)
        #expect(broker.audit.all.filter { $0.decision == .release }.count == 1)
        #expect(transport.log.withLock { $0 } == [
            "https://kbs.example POST /kbs/v0/auth", "https://kbs.example POST /kbs/v0/attest", "https://kbs.example GET /kbs/v0/resource/default/disk/root",
        ])
    }

    @Test func fallsThroughToTheNextBroker() async throws {
        let broker = try BrokerHarness(jwe: true)
        let transport = InProcessTransport(services: ["https://second": broker.service])
        let key = try await client(["https://down", "https://second"], transport, broker.simulator).fetch(resource: "default/disk/root")
        #expect(key.count == 64)
    }

    /// Broker A dies after answering `/auth`: the guest sends `/attest` to B, which (on its own
    /// embedded store) does not know A's session; the guest then starts a fresh handshake at B, in
    /// the same round, without backoff. (On a shared PostgreSQL store B knows the session:
    /// KeyBrokerPostgresTests.ReplicaFailoverTests.)
    @Test func aBrokerThatDiesMidHandshakeSendsTheGuestToAFreshHandshakeAtTheNext() async throws {
        let a = try BrokerHarness(jwe: true)
        let b = try BrokerHarness(jwe: true)
        let transport = InProcessTransport(services: ["https://a": a.service, "https://b": b.service]) { broker, path in
            broker == "https://a" && path != "/kbs/v0/auth"
        }
        let clock = RecordingClock()
        let key = try await client(["https://a", "https://b"], transport, b.simulator, clock: clock).fetch(resource: "default/disk/root")
        #expect(key.withUnsafeBytes { Array($0) } == b.diskKey)
        #expect(transport.log.withLock { $0 } == [
            "https://a POST /kbs/v0/auth", "https://a POST /kbs/v0/attest", "https://b POST /kbs/v0/attest",
            "https://b POST /kbs/v0/auth", "https://b POST /kbs/v0/attest", "https://b GET /kbs/v0/resource/default/disk/root",
        ])
        #expect(b.audit.all.contains { $0.decision == .refusal && $0.reasons == ["unknown or expired session"] })
        #expect(clock.sleeps.isEmpty, "no backoff: the session was lost, not refused")
    }

    @Test func policyRefusalSurfacesTheBrokersProblemAndIsNotRetried() async throws {
        let broker = try BrokerHarness(jwe: true) { simulator in
            simulator.examplePolicy.replacingOccurrences(of: "snp = 8", with: "snp = 99")
        }
        let transport = InProcessTransport(services: ["https://kbs": broker.service])
        let clock = RecordingClock(now: Timestamp(seconds: 1_795_500_000))
        do {
            _ = try await client(["https://kbs"], transport, broker.simulator, clock: clock).fetch(resource: "default/disk/root")
            Issue.record("expected a refusal")
        } catch {
            guard case .allBrokersFailed(let errors) = error, case .refused(_, let step, let status, let type, let detail) = errors.first else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(step == "resource default/disk/root" && status == 401, "the refused step names the resource")
            #expect(type?.hasSuffix("PolicyDeny") == true)
            #expect(detail == "Access denied by policy")
        }
        #expect(clock.sleeps.isEmpty, "a policy decision is final: no retry rounds")
        #expect(transport.log.withLock { $0.count } == 3)
    }

    @Test func transportFailuresAreRetriedWithBackoff() async throws {
        let broker = try BrokerHarness(jwe: true)
        let clock = RecordingClock(now: Timestamp(seconds: 1_795_500_000))
        let transport = InProcessTransport(services: [:])
        await #expect(throws: KeyBrokerClientError.self) {
            try await client(["https://a", "https://b"], transport, broker.simulator, clock: clock).fetch(resource: "default/disk/root")
        }
        #expect(transport.log.withLock { $0.count } == 6, "3 rounds over 2 brokers")
        let sleeps = clock.sleeps
        #expect(sleeps.count <= 2 && sleeps.allSatisfy { $0 <= .milliseconds(20) })
    }

    /// The realistic attacker of issue 12: it relays the guest's `/attest` (the host sees it), reads
    /// `runtime-data.tee-pubkey` from it and answers `/resource` with a JWE of a key IT chose, sealed to
    /// that public key. The JWE opens: sealing gives secrecy, not origin. (The old version of this test
    /// encrypted to the attacker's own key and could not fail.) Only the transport's authentication of
    /// the broker (a pin or CA from a source the host cannot write) stops it: see the next test and
    /// RogueBrokerCLITests.
    @Test func aRelayThatSealsItsOwnKeyToTheGuestsKeyIsNotStoppedByTheJWE() async throws {
        let broker = try BrokerHarness(jwe: true)
        let rogueKey = [UInt8](repeating: 0x5A, count: 64)
        final class Relay: KBSTransport {
            let inner: InProcessTransport
            let rogueKey: [UInt8]
            let seen = Mutex<EphemeralPublicKey?>(nil)
            init(inner: InProcessTransport, rogueKey: [UInt8]) { (self.inner, self.rogueKey) = (inner, rogueKey) }
            func send(_ request: KBSHTTPRequest, to broker: String) throws(KeyBrokerClientError) -> KBSHTTPResponse {
                if request.path == "/kbs/v0/attest", let attestation = try? Attestation(jsonBytes: request.body) {
                    seen.withLock { $0 = attestation.runtimeData.teePubkey }
                }
                var response = try inner.send(request, to: broker)
                if request.path.hasPrefix("/kbs/v0/resource/"), let teePubkey = seen.withLock({ $0 }) {
                    response = KBSHTTPResponse(status: 200, headers: [("Content-Type", "application/json")],
                                               body: try! JWEEncrypter(recipient: teePubkey).encrypt(SecretBytes(copying: rogueKey)).jsonBytes())
                }
                return response
            }
        }
        let relay = Relay(inner: InProcessTransport(services: ["https://kbs": broker.service]), rogueKey: rogueKey)
        let client = KeyBrokerClient(brokers: ["https://kbs"], transport: relay, reports: SimulatedReportProvider(processor: broker.simulator),
                                     clock: RecordingClock(now: Timestamp(seconds: 1_795_500_000)), random: GetrandomSource(), retry: RetryPolicy.once) { try EphemeralKeyPair() }
        let key = try client.fetch(resource: "default/disk/root")
        #expect(relay.seen.withLock { $0 } != nil, "the relay read tee-pubkey from /attest")
        #expect(key.withUnsafeBytes { Array($0) } == rogueKey, "the guest took the relay's key: the JWE proves nothing about its origin")
        #expect(key.withUnsafeBytes { Array($0) } != broker.diskKey)
    }

    /// Issue 12, downgrade: `["https://kbs", "http://fallback"]` with the first blocked. The pinned
    /// HTTP client refuses the http URL instead of dropping TLS, so the plain broker (reachable, and
    /// willing) never sees a request. Before the fix the client fell through and took its key.
    @Test func aBlockedPinnedBrokerNeverFallsThroughToPlainHTTP() async throws {
        let broker = try BrokerHarness(jwe: true)
        let server = try HTTPServer(configuration: HTTPServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0)), router: broker.service.router(),
                                    logger: Logger(label: "downgrade-test", factory: { _ in SwiftLogNoOpLogHandler() }))
        guard case .tcp(_, let port) = try await server.start() else { Issue.record("no port"); return }
        let pin = try TLSLeafPin(kind: .subjectPublicKeyInfo, hex: String(repeating: "ab", count: 32))
        let http = try HTTPClient(configuration: HTTPClientConfiguration(tls: TLSClientConfiguration(verification: .pinnedLeaf([pin])), connectTimeout: .seconds(2)))
        defer { http.shutdown() }
        let client = KeyBrokerClient(brokers: ["https://127.0.0.1:9", "http://127.0.0.1:\(port)"], transport: HTTPKBSTransport(client: http),
                                     reports: SimulatedReportProvider(processor: broker.simulator), clock: RecordingClock(now: Timestamp(seconds: 1_795_500_000)), random: GetrandomSource(),
                                     retry: RetryPolicy(attempts: 2, initialDelay: .milliseconds(1), maximumDelay: .seconds(8))) { try EphemeralKeyPair() }
        do {
            _ = try client.fetch(resource: "default/disk/root")
            Issue.record("downgraded to plain http")
        } catch {
            #expect(error.description.contains("http://127.0.0.1:\(port)") && error.description.contains("no downgrade"), "\(error)")
        }
        #expect(broker.audit.all.isEmpty, "the plain http broker saw no attestation and released nothing")
        await server.shutdown()
    }
}
