import GuestGuardHTTP
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

/// A small boot storm (bench/broker-storm.sh runs it at full scale over loopback): three replicas
/// on one PostgreSQL behind a round-robin balancer (no affinity: each step of a handshake goes to
/// the next replica), the guests' real RCAR client (``KeyBrokerClient``) with the real JWE, and
/// replica 3 killed mid-storm right after it consumed a guest's nonce, before it answered. Every
/// guest gets exactly its key, sealed to its own key; zero wrong releases; no nonce used twice;
/// audit rows equal releases.
@Suite(.serialized) struct BootStormTests {
    static let guests = 48
    static let resource = "default/disk/root"

    @Test func threeReplicasOneKilledEveryGuestGetsItsKeyOnce() async throws {
        let server = try PostgresTestServer.shared()
        let database = try server.makeDatabase()
        let broker = try await BrokerHarness(storage: { _ in try await server.makeStorage(database: database) })
        let sealer = RecordingJWESealer()
        var replicas: [KeyBrokerService] = []
        for _ in 0..<3 {
            let storage = try await server.makeStorage(database: database, kek: (broker.storage as! PostgresBrokerStorage).kek)
            replicas.append(KeyBrokerService(storage: storage, trustFiles: broker.tree.fileSystem, sealer: sealer, audit: broker.audit,
                                             clock: broker.clock, random: GetrandomSource()))
        }
        let balancer = StormBalancer(replicas, killAfter: Self.guests)
        let guestKeys = GuestKeys()
        let simulator = broker.simulator
        let results = await withTaskGroup(of: Result<[UInt8], any Error>.self) { group in
            for _ in 0..<Self.guests {
                group.addTask {
                    let client = KeyBrokerClient(brokers: [StormBalancer.url], transport: balancer, reports: SimulatedReportProvider(processor: simulator),
                                                 clock: RecordingClock(), random: GetrandomSource(),
                                                 retry: RetryPolicy(attempts: 5, initialDelay: .milliseconds(1), maximumDelay: .seconds(8))) {
                        let pair = try EphemeralKeyPair()
                        guestKeys.made.withLock { _ = $0.insert(pair.publicKey) }
                        return pair
                    }
                    // The client blocks its thread: each guest on one of its own, so the pool stays free for the replicas.
                    return await runOffPool { Result { () throws -> [UInt8] in try client.fetch(resource: Self.resource).withUnsafeBytes { Array($0) } } }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let failures = results.compactMap { if case .failure(let error) = $0 { return "\(error)" } else { return nil } }
        #expect(failures.isEmpty, "every guest got a key: \(failures.prefix(3))")
        #expect(results.allSatisfy { (try? $0.get()) == broker.diskKey }, "each guest opened exactly the disk key with its own key")

        // The kill happened mid-storm, and one guest's nonce was consumed by a request whose answer was lost.
        let lost = balancer.lost.withLock { $0 }
        let killed = balancer.down.load(ordering: .relaxed)
        #expect(killed, "replica 3 was killed")
        #expect(lost["/kbs/v0/attest", default: 0] >= 1, "a consumed nonce's answer was lost: \(lost)")
        #expect(broker.audit.all.contains { $0.decision == .refusal && $0.reasons.contains("the session's nonce was already used") },
                "the lost /attest's retry found its nonce used, and the guest started over")

        let released = sealer.released.withLock { $0 }
        #expect(released.allSatisfy { $0.key == broker.diskKey }, "zero wrong releases")
        let keys = guestKeys.made.withLock { $0 }
        #expect(released.allSatisfy { keys.contains($0.to) }, "every release went to a guest's own key")
        // One release per guest, plus one per /resource whose answer was lost (the retry releases
        // again, to the same guest key).
        #expect(Set(released.map(\.to)).count == Self.guests, "each guest's key released to it")
        #expect(released.count == Self.guests + lost["/kbs/v0/resource/\(Self.resource)", default: 0])

        let attested = broker.audit.all.filter { $0.decision == .attested }.compactMap(\.session)
        #expect(Set(attested).count == attested.count, "zero nonce reuse: each session attested once")
        let shared = try server.psql("SELECT count(*) FROM (SELECT nonce FROM sessions GROUP BY nonce HAVING count(*) > 1) d", database: database)
        #expect(shared.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "no nonce issued to two sessions")
        let rows = try await (broker.storage as! PostgresBrokerStorage).auditLines().filter { $0.contains("\"decision\":\"release\"") }
        #expect(rows.count == released.count, "audit rows = releases")
    }
}

/// A round-robin load balancer in front of the replicas, as the guests see it through one URL.
/// Replica 3 is killed by the first `/attest` it processes after `killAfter` requests: it consumed
/// the nonce and recorded the attestation, and dies before answering. Any other request it was
/// processing loses its answer too (connection reset); requests sent to it afterwards are refused.
/// Like a balancer's passive health check, a replica whose connection failed leaves the rotation.
final class StormBalancer: KBSTransport {
    static let url = "https://broker.example"
    let services: [KeyBrokerService]
    let killAfter: Int
    let sent = Atomic<Int>(0)
    let next = Atomic<Int>(0)
    /// Replica 3's process is gone.
    let down = Atomic<Bool>(false)
    /// The balancer has seen replica 3 fail and no longer sends it anything.
    let noticed = Atomic<Bool>(false)
    /// Requests replica 3 processed whose answers were lost, by path.
    let lost = Mutex<[String: Int]>([:])

    init(_ services: [KeyBrokerService], killAfter: Int) {
        self.services = services
        self.killAfter = killAfter
    }

    func send(_ request: KBSHTTPRequest, to broker: String) throws(KeyBrokerClientError) -> KBSHTTPResponse {
        let count = sent.wrappingAdd(1, ordering: .relaxed).oldValue
        let rotation = noticed.load(ordering: .relaxed) ? 2 : 3
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue % rotation
        let forwarded = BrokerRequest(method: request.method, path: request.path, headers: request.headers, body: request.body)
        guard index == 2 else { return Self.answer(services[index].handleBlocking(forwarded)) }
        if down.load(ordering: .relaxed) {
            noticed.store(true, ordering: .relaxed)
            throw .transport(broker: broker, reason: "connection refused (replica 3 is down)")
        }
        let response = services[2].handleBlocking(forwarded)
        if count >= killAfter, request.path == "/kbs/v0/attest", response.status == 200 { down.store(true, ordering: .relaxed) }
        if down.load(ordering: .relaxed) {
            noticed.store(true, ordering: .relaxed)
            lost.withLock { $0[request.path, default: 0] += 1 }
            throw .transport(broker: broker, reason: "connection reset (replica 3 was killed)")
        }
        return Self.answer(response)
    }

    static func answer(_ response: BrokerResponse) -> KBSHTTPResponse {
        KBSHTTPResponse(status: response.status, headers: response.headers, body: response.body)
    }
}

/// Every ephemeral public key the guests made.
final class GuestKeys: Sendable {
    let made = Mutex<Set<EphemeralPublicKey>>([])
}

/// The real KBS JWE, recording what was released to which key.
final class RecordingJWESealer: ResourceSealer {
    let released = Mutex<[(key: [UInt8], to: EphemeralPublicKey)]>([])
    func seal(_ plaintext: SecretBytes, to key: EphemeralPublicKey, keyID: String?) throws -> Response {
        released.withLock { $0.append((plaintext.withUnsafeBytes { Array($0) }, key)) }
        return try JWEResourceSealer().seal(plaintext, to: key, keyID: keyID)
    }
}

