import KeyBrokerPostgres
import KeyBrokerPostgresTestSupport
import KeyBrokerProtocol
import KeyBrokerServer
import KeyBrokerTestSupport
import Synchronization
import Testing

/// A small boot storm: three replicas on one PostgreSQL, guests whose handshake steps go round
/// robin over the replicas (no affinity), one replica killed mid-storm (its requests fail as a
/// refused connection would; the guest starts over at the next replica). Every guest gets exactly
/// its key, sealed to its own key; no nonce is used twice; audit rows equal releases.
@Suite(.serialized) struct BootStormTests {
    static let guests = 48

    @Test func threeReplicasOneKilledEveryGuestGetsItsKeyOnce() async throws {
        let server = try PostgresTestServer.shared()
        let database = try server.makeDatabase()
        let broker = try await BrokerHarness(storage: { _ in try await server.makeStorage(database: database) })
        var replicas = [broker.service]
        for _ in 0..<2 { replicas.append(try await PostgresStoreTests.replica(of: broker, database: database).0) }
        let router = StormRouter(replicas)
        let harness = Evidence(broker)
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for guest in 0..<Self.guests {
                group.addTask {
                    if guest == Self.guests / 2 { router.killed.store(true, ordering: .relaxed) }
                    let key = EphemeralPublicKey.p256(x: [UInt8(guest >> 8), UInt8(guest & 0xFF)] + [UInt8](repeating: 0x11, count: 30),
                                                      y: [UInt8](repeating: 0x22, count: 32))
                    for _ in 0..<6 {
                        guard let auth = await router.send(PostgresStoreTests.request("POST", "/kbs/v0/auth", (try? Request().jsonBytes()) ?? [], cookie: nil)),
                              auth.status == 200, let challenge = try? Challenge(jsonBytes: auth.body),
                              let cookie = auth.headers.first(where: { $0.name == "Set-Cookie" })?.value else { continue }
                        let session = String(cookie.dropFirst("kbs-session-id=".count).prefix { $0 != ";" })
                        guard let body = try? harness.broker.attestation(nonce: challenge.nonce, key: key).jsonBytes(),
                              let attested = await router.send(PostgresStoreTests.request("POST", "/kbs/v0/attest", body, cookie: session)) else { continue }
                        if attested.status == 200 { router.attests.withLock { $0[challenge.nonce, default: 0] += 1 } }
                        guard attested.status == 200,
                              let released = await router.send(PostgresStoreTests.request("GET", "/kbs/v0/resource/default/disk/root", cookie: session)),
                              released.status == 200 else { continue }
                        return (guest, true)
                    }
                    return (guest, false)
                }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == Self.guests && results.values.allSatisfy { $0 }, "every guest got its key")
        let released = broker.sealer.released.withLock { $0 }
        #expect(released.allSatisfy { $0.key == broker.diskKey }, "zero wrong releases")
        let recipients = released.map { $0.to }
        #expect(Set(recipients).count == released.count, "each guest's key released to it once")
        #expect(router.attests.withLock { $0.values.allSatisfy { $0 == 1 } }, "zero nonce reuse")
        let rows = try await (broker.storage as! PostgresBrokerStorage).auditLines().filter { $0.contains("\"decision\":\"release\"") }
        #expect(rows.count == released.count, "audit rows = releases")
    }
}

/// Round robin over the replicas; replica 2 refuses everything once killed.
final class StormRouter: Sendable {
    let services: [KeyBrokerService]
    let killed = Atomic<Bool>(false)
    let step = Atomic<Int>(0)
    /// Successful `/attest`s by nonce.
    let attests = Mutex<[String: Int]>([:])

    init(_ services: [KeyBrokerService]) { self.services = services }

    func send(_ request: BrokerRequest) async -> BrokerResponse? {
        let index = step.wrappingAdd(1, ordering: .relaxed).oldValue % services.count
        if index == 2 && killed.load(ordering: .relaxed) { return nil }
        return await services[index].handle(request)
    }
}

/// The harness, read-only from the guests' tasks (it builds their evidence with the simulator).
final class Evidence: @unchecked Sendable {
    let broker: BrokerHarness
    init(_ broker: BrokerHarness) { self.broker = broker }
}
