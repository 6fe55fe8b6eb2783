import CanonicalJSON
import GuestGuardPlatform
import KeyBrokerProtocol
import KeyBrokerServer
import KeyBrokerPostgresTestSupport
import KeyBrokerTestSupport
import Testing

/// Issue 12, defect 7: `/auth` is unauthenticated. Per-client token buckets on `/auth` and
/// `/attest`, a session table that expires in time order and refuses (429) rather than evicts
/// when full, and counters for each in `/metrics`. Time is the harness's manual clock.
@Suite struct BrokerFloodTests {
    static let body = (try? Request().jsonBytes()) ?? []

    func metrics(_ broker: BrokerHarness) async -> String {
        String(decoding: await broker.service.handle(BrokerRequest(method: "GET", path: "/metrics")).body, as: UTF8.self)
    }

    @Test(arguments: BrokerBackend.allCases) func oneClientsFloodExhaustsOnlyItsOwnBucket(backend: BrokerBackend) async throws {
        let broker = try await backend.harness(limits: BrokerLimits(auth: .init(burst: 3, perSecond: 0.5), attest: .init(burst: 2, perSecond: 0.5)))
        var statuses: [Int] = []
        for _ in 0..<50 { statuses.append(await broker.post("/kbs/v0/auth", Self.body, client: "127.0.0.2").status) }
        #expect(statuses.filter { $0 == 200 }.count == 3)
        #expect(statuses.filter { $0 == 429 }.count == 47)
        let limited = await broker.post("/kbs/v0/auth", Self.body, client: "127.0.0.2")
        #expect(limited.headers.first { $0.name == "Retry-After" }?.value == "2")
        #expect(try ProblemDetails(jsonBytes: limited.body).detail.contains("retry in 2 s"))
        #expect(try await broker.storage.sessionCounts(now: broker.clock.now().seconds).live == 3, "a refused request creates no session")

        // Another client is untouched and completes the whole handshake.
        let (session, challenge) = try await broker.auth(client: "127.0.0.1")
        let attested = await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: session, client: "127.0.0.1")
        #expect(attested.status == 200)
        #expect(await broker.get("/kbs/v0/resource/default/disk/root", cookie: session).status == 200)

        // The flooder's bucket refills at its rate: one more after 2 s.
        broker.clock.advance(by: .seconds(2))
        #expect(await broker.post("/kbs/v0/auth", Self.body, client: "127.0.0.2").status == 200)
        #expect(await broker.post("/kbs/v0/auth", Self.body, client: "127.0.0.2").status == 429)

        // /attest has its own bucket (verification is the expensive step).
        for _ in 0..<2 { #expect(await broker.post("/kbs/v0/attest", Self.body, client: "127.0.0.3").status == 401) }
        #expect(await broker.post("/kbs/v0/attest", Self.body, client: "127.0.0.3").status == 429)

        let text = await metrics(broker)
        #expect(text.contains("guestguard_broker_rate_limited_total{endpoint=\"auth\"} 49"))
        #expect(text.contains("guestguard_broker_rate_limited_total{endpoint=\"attest\"} 1"))
        #expect(!broker.audit.all.contains { $0.client == "127.0.0.2" && $0.decision == .refusal }, "rate-limited requests are counted, not audited")
    }

    @Test(arguments: BrokerBackend.allCases) func aFullSessionTableRefusesNewSessionsAndKeepsTheLiveOnes(backend: BrokerBackend) async throws {
        let broker = try await backend.harness(maxSessions: 4)
        let (first, challenge) = try await broker.auth()
        for _ in 0..<3 { _ = try await broker.auth() }
        broker.clock.advance(by: .seconds(100))
        let refused = await broker.post("/kbs/v0/auth", Self.body)
        #expect(refused.status == 429)
        #expect(refused.headers.first { $0.name == "Retry-After" }?.value == "200", "the oldest session expires in 200 s")
        #expect(broker.audit.all.last?.reasons == ["session table full (4 live sessions)"])
        // The first session was not evicted: its guest still gets the key.
        #expect(await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: first).status == 200)
        #expect(await broker.get("/kbs/v0/resource/default/disk/root", cookie: first).status == 200)
        // Once they expire, room again; the expired ones are counted.
        broker.clock.advance(by: .seconds(200))
        #expect(await broker.post("/kbs/v0/auth", Self.body).status == 200)
        let text = await metrics(broker)
        #expect(text.contains("guestguard_broker_session_cap_refusals_total 1"))
        #expect(text.contains("guestguard_broker_sessions_expired_total 4"))
        #expect(text.contains("guestguard_broker_sessions 1"))
    }

    @Test func sessionsExpireInTimeOrderWithoutAScan() throws {
        let store = BrokerSessionStore(lifetime: 10, capacity: 1000)
        for second in 0..<500 {
            let session = BrokerSession(id: "s\(second)", expires: Int64(second) + 10, state: .challenged(nonce: "n"))
            #expect(store.insert(session, now: Int64(second)) == .admitted)
        }
        // At t = 500 every session expiring at or before 500 (s0…s490) is gone; s491…s499 are live.
        #expect(store.session("s490", now: 500) == nil)
        #expect(store.session("s491", now: 500) != nil)
        #expect(store.count == 9)
        #expect(store.expiredCount == 491)
        // A consumed nonce and an update keep the session's place and expiry.
        #expect(store.takeNonce("s495", now: 500) == "n")
        #expect(store.takeNonce("s495", now: 500) == nil)
        #expect(store.session("s495", now: 504)?.expires == 505)
        #expect(store.session("s495", now: 505) == nil)
        #expect(store.count == 4)
    }
}
