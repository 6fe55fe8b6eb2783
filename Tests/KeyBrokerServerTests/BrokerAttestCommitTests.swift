import GuestGuardLinux
import KeyBrokerPostgres
import KeyBrokerPostgresTestSupport
import KeyBrokerProtocol
import KeyBrokerServer
import KeyBrokerTestSupport
import Testing

/// `/attest` verifies first, then consumes the nonce and records the evidence in one store step
/// (`commitAttestation`): the step must still refuse evidence bound to another session's nonce
/// (consuming this session's), and must not commit under a trust union a policy change made stale —
/// in either direction. On both stores.
@Suite struct BrokerAttestCommitTests {
    /// The host replays a guest's genuine evidence (bound to session A's nonce) on session B: B is
    /// refused as a binding mismatch with no `attested` audit line, B's nonce is gone (B's own
    /// evidence is then a replay), and A still attests.
    @Test(arguments: BrokerBackend.allCases) func evidenceBoundToAnotherSessionsNonceConsumesThisOne(backend: BrokerBackend) async throws {
        let broker = try await backend.harness()
        let (first, firstChallenge) = try await broker.auth()
        let (second, secondChallenge) = try await broker.auth()
        let replayed = await broker.post("/kbs/v0/attest", try broker.attestation(nonce: firstChallenge.nonce).jsonBytes(), cookie: second)
        #expect(replayed.status == 401)
        #expect(try ProblemDetails(jsonBytes: replayed.body).detail.contains("not this session's nonce"))
        #expect(broker.service.metrics.refusals("attest", .bindingMismatch) == 1)
        #expect(!broker.audit.all.contains { $0.decision == .attested && $0.session == second })
        let own = await broker.post("/kbs/v0/attest", try broker.attestation(nonce: secondChallenge.nonce).jsonBytes(), cookie: second)
        #expect(own.status == 401)
        #expect(try ProblemDetails(jsonBytes: own.body).detail.contains("nonce already used"))
        #expect(await broker.get("/kbs/v0/resource/default/disk/root", cookie: second).status == 401)
        #expect(await broker.post("/kbs/v0/attest", try broker.attestation(nonce: firstChallenge.nonce).jsonBytes(), cookie: first).status == 200)
        #expect(broker.audit.all.filter { $0.decision == .attested }.map(\.session) == [first])
    }

    /// Each replica caches its trust union per policy generation. Two replicas on one store warm
    /// their unions; then the resource's policy is replaced by one trusting another ARK only. On
    /// one, evidence under the old ARK verifies under its stale union, but the store step refuses
    /// the stale generation and the re-verification refuses it; on the other, evidence under the new
    /// ARK fails under its stale union, the refusal path finds the generation moved, and it attests.
    @Test(arguments: BrokerBackend.allCases) func aPolicyChangeBetweenAttestationsIsNotCommittedUnderTheStaleUnion(backend: BrokerBackend) async throws {
        let broker: BrokerHarness, storage: any BrokerStorage
        switch backend {
        case .embedded:
            broker = try await backend.harness()
            storage = broker.storage
        case .postgres:
            let server = try PostgresTestServer.shared()
            let database = try server.makeDatabase()
            broker = try await BrokerHarness(storage: { _ in try await server.makeStorage(database: database) })
            storage = try await server.makeStorage(database: database, kek: (broker.storage as! PostgresBrokerStorage).kek)
        }
        let replicas = [broker.service, KeyBrokerService(storage: storage, trustFiles: broker.tree.fileSystem, sealer: broker.sealer, audit: broker.audit,
                                                         clock: broker.clock, random: GetrandomSource())]
        for replica in replicas {
            let (warm, challenge) = try await broker.auth()
            let body = try broker.attestation(nonce: challenge.nonce).jsonBytes()
            #expect(await replica.handle(BrokerRequest(method: "POST", path: "/kbs/v0/attest", headers: [("Cookie", "kbs-session-id=\(warm)")], body: body)).status == 200)
        }
        let other = try SharedSimulator.otherProcessor()
        try await broker.storage.storePolicy(other.examplePolicy, for: broker.resource)

        let (stale, staleChallenge) = try await broker.auth()
        let oldARK = try broker.attestation(nonce: staleChallenge.nonce).jsonBytes()
        let refused = await replicas[0].handle(BrokerRequest(method: "POST", path: "/kbs/v0/attest", headers: [("Cookie", "kbs-session-id=\(stale)")], body: oldARK))
        #expect(refused.status == 401, "attested under the union of a replaced policy")
        #expect(broker.audit.all.last?.reasons.contains { $0.contains("FAIL") } == true)
        #expect(!broker.audit.all.contains { $0.decision == .attested && $0.session == stale })

        let (fresh, freshChallenge) = try await broker.auth()
        let newARK = try broker.attestation(nonce: freshChallenge.nonce, from: other).jsonBytes()
        let accepted = await replicas[1].handle(BrokerRequest(method: "POST", path: "/kbs/v0/attest", headers: [("Cookie", "kbs-session-id=\(fresh)")], body: newARK))
        #expect(accepted.status == 200, "\(String(decoding: accepted.body, as: UTF8.self))")
    }
}
