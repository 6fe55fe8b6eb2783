import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import KeyBrokerClient
import KeyBrokerJWE
import KeyBrokerPostgres
import KeyBrokerPostgresTestSupport
import KeyBrokerProtocol
import KeyBrokerServer
import KeyBrokerTestSupport
import SNPSimulator
import Synchronization
import Testing

/// The guest's client against replicas on one PostgreSQL when a replica dies mid-handshake: a step
/// that never reached the dead replica is retried at another, which knows the session; a step the
/// dead replica processed but never answered (the nonce is consumed) leads to a fresh `/auth`,
/// not a failure; a store that goes away gives 503 and the guest's next round succeeds.
@Suite(.serialized) struct ReplicaFailoverTests {
    static let resource = "default/disk/root"

    /// Two replicas (A, B) on one database, with the real JWE.
    func replicas() async throws -> (BrokerHarness, [String: KeyBrokerService]) {
        let server = try PostgresTestServer.shared()
        let database = try server.makeDatabase()
        let broker = try await BrokerHarness(storage: { _ in try await server.makeStorage(database: database) }, jwe: true)
        return (broker, ["https://a": broker.service, "https://b": try await Self.replica(of: broker, database: database)])
    }

    /// Another replica on `database`, sealing with the real JWE.
    static func replica(of broker: BrokerHarness, database: String) async throws -> KeyBrokerService {
        let storage = try await PostgresTestServer.shared().makeStorage(database: database, kek: (broker.storage as! PostgresBrokerStorage).kek)
        return KeyBrokerService(storage: storage, trustFiles: broker.tree.fileSystem, sealer: JWEResourceSealer(), audit: broker.audit,
                                clock: broker.clock, random: GetrandomSource())
    }

    func client(_ brokers: [String], _ transport: any KBSTransport, _ broker: BrokerHarness, clock: any WallClock = RecordingClock()) -> KeyBrokerClient {
        KeyBrokerClient(brokers: brokers, transport: transport, reports: SimulatedReportProvider(processor: broker.simulator), clock: clock,
                        random: GetrandomSource(), retry: RetryPolicy(attempts: 3, initialDelay: .milliseconds(1), maximumDelay: .seconds(8))) { try EphemeralKeyPair() }
    }

    @Test func aStepThatNeverReachedTheDeadReplicaIsAnsweredByAnother() async throws {
        let (broker, services) = try await replicas()
        // A dies right after answering /auth: the connection for /attest is refused.
        let transport = ScriptedTransport(services) { broker, path, _ in broker == "https://a" && path != "/kbs/v0/auth" ? .refuse : .deliver }
        let key = try await client(["https://a", "https://b"], transport, broker).fetch(resource: Self.resource)
        #expect(key.withUnsafeBytes { Array($0) } == broker.diskKey)
        #expect(transport.log.withLock { $0 } == [
            "https://a POST /kbs/v0/auth", "https://a POST /kbs/v0/attest (refused)", "https://b POST /kbs/v0/attest",
            "https://b GET /kbs/v0/resource/default/disk/root",
        ], "B knows A's session: no second /auth")
        #expect(broker.audit.all.filter { $0.decision == .release }.count == 1)
    }

    @Test func aNonceConsumedByARequestWhoseAnswerWasLostLeadsToAFreshAuth() async throws {
        let (broker, services) = try await replicas()
        // A consumes the nonce and records the attestation, then dies before answering.
        let transport = ScriptedTransport(services) { broker, path, _ in broker == "https://a" && path == "/kbs/v0/attest" ? .loseAnswer : .deliver }
        let key = try await client(["https://a", "https://b"], transport, broker).fetch(resource: Self.resource)
        #expect(key.withUnsafeBytes { Array($0) } == broker.diskKey)
        #expect(transport.log.withLock { $0 } == [
            "https://a POST /kbs/v0/auth", "https://a POST /kbs/v0/attest (answer lost)", "https://b POST /kbs/v0/attest",
            "https://b POST /kbs/v0/auth", "https://b POST /kbs/v0/attest", "https://b GET /kbs/v0/resource/default/disk/root",
        ])
        #expect(broker.audit.all.contains { $0.decision == .refusal && $0.reasons == ["the session's nonce was already used"] })
        #expect(broker.audit.all.filter { $0.decision == .release }.count == 1, "one release, to the fresh session")
    }

    /// A refusal after a lost answer starts one fresh handshake, not more: a guest the policy
    /// refuses is not retried forever.
    @Test func aRefusalAfterALostAnswerIsRetriedOnceThenReported() async throws {
        let server = try PostgresTestServer.shared()
        let database = try server.makeDatabase()
        let broker = try await BrokerHarness(storage: { _ in try await server.makeStorage(database: database) }, jwe: true) { simulator in
            simulator.examplePolicy.replacingOccurrences(of: "snp = 8", with: "snp = 99")
        }
        let transport = ScriptedTransport(["https://a": broker.service, "https://b": try await Self.replica(of: broker, database: database)]) { broker, path, _ in
            broker == "https://a" && path.hasPrefix("/kbs/v0/resource/") ? .loseAnswer : .deliver
        }
        let clock = RecordingClock()
        let error = await #expect(throws: KeyBrokerClientError.self) {
            _ = try await client(["https://a", "https://b"], transport, broker, clock: clock).fetch(resource: Self.resource)
        }
        #expect(error?.description.contains("PolicyDeny") == true, "\(String(describing: error))")
        #expect(clock.sleeps.isEmpty, "a policy decision is final: no backoff rounds")
        #expect(broker.audit.all.filter { $0.decision == .release }.isEmpty)
    }

    /// The store stops between `/attest` and `/resource`: 503, nothing released; the client's next
    /// round (after backoff) finds it back and gets the key.
    @Test func aStoreThatGoesAwayGives503AndTheGuestsNextRoundSucceeds() async throws {
        let server = try PostgresTestServer()
        defer { server.stop() }
        let broker = try await BrokerHarness(storage: { _ in try await server.makeStorage() }, jwe: true)
        let outage = Outage()
        let transport = ScriptedTransport(["https://a": broker.service]) { _, path, _ in
            // The first /resource finds the store gone.
            if path.hasPrefix("/kbs/v0/resource/") && !outage.happened.exchange(true, ordering: .relaxed) { server.stop(remove: false) }
            return .deliver
        }
        let clock = RestartingClock { try? server.start() }
        // Real backoff after the restart: the replica's connection pool retries connecting with its own backoff.
        let guest = KeyBrokerClient(brokers: ["https://a"], transport: transport, reports: SimulatedReportProvider(processor: broker.simulator),
                                    clock: clock, random: GetrandomSource(), retry: RetryPolicy(attempts: 8, initialDelay: .milliseconds(500), maximumDelay: .seconds(8))) {
            try EphemeralKeyPair()
        }
        let key = try await guest.fetch(resource: Self.resource)
        #expect(key.withUnsafeBytes { Array($0) } == broker.diskKey)
        let statuses = transport.statuses.withLock { $0 }
        #expect(statuses.contains(503), "the guest saw the store's absence as 503: \(statuses)")
        #expect(broker.audit.all.filter { $0.decision == .release }.count == 1)
        #expect(broker.audit.all.contains { $0.decision == .refusal && $0.reasons.first?.contains("store unavailable") == true })
    }
}

/// Delivers requests to named replicas; `fate` decides per request whether the connection is
/// refused (not processed), the answer lost (processed, then the replica died), or it is delivered.
final class ScriptedTransport: KBSTransport {
    enum Fate { case deliver, refuse, loseAnswer }
    let services: [String: KeyBrokerService]
    let fate: @Sendable (String, String, Int) -> Fate
    let log = Mutex<[String]>([])
    let statuses = Mutex<[Int]>([])

    init(_ services: [String: KeyBrokerService], fate: @escaping @Sendable (_ broker: String, _ path: String, _ index: Int) -> Fate) {
        self.services = services
        self.fate = fate
    }

    func send(_ request: KBSHTTPRequest, to broker: String) throws(KeyBrokerClientError) -> KBSHTTPResponse {
        let index = log.withLock { $0.count }
        let line = "\(broker) \(request.method) \(request.path)"
        guard let service = services[broker] else { throw .transport(broker: broker, reason: "no such broker") }
        switch fate(broker, request.path, index) {
        case .refuse:
            log.withLock { $0.append(line + " (refused)") }
            throw .transport(broker: broker, reason: "connection refused")
        case .loseAnswer:
            log.withLock { $0.append(line + " (answer lost)") }
            _ = service.handleBlocking(BrokerRequest(method: request.method, path: request.path, headers: request.headers, body: request.body))
            throw .transport(broker: broker, reason: "connection reset")
        case .deliver:
            log.withLock { $0.append(line) }
            let answer = service.handleBlocking(BrokerRequest(method: request.method, path: request.path, headers: request.headers, body: request.body))
            statuses.withLock { $0.append(answer.status) }
            return KBSHTTPResponse(status: answer.status, headers: answer.headers, body: answer.body)
        }
    }
}

final class Outage: Sendable {
    let happened = Atomic<Bool>(false)
}

/// Runs `onSleep` at the first backoff (the operator brings the store back), then sleeps.
final class RestartingClock: WallClock {
    let onSleep: @Sendable () -> Void
    let slept = Atomic<Bool>(false)
    init(_ onSleep: @escaping @Sendable () -> Void) { self.onSleep = onSleep }
    func now() -> Timestamp { SystemClock().now() }
    func sleep(for duration: Duration) {
        if !slept.exchange(true, ordering: .relaxed) { onSleep() }
        SystemClock().sleep(for: duration)
    }
}
