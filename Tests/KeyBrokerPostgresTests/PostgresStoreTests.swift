import CanonicalJSON
import Foundation
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import KeyBrokerPostgres
import KeyBrokerPostgresTestSupport
import KeyBrokerProtocol
import KeyBrokerServer
import KeyBrokerTestSupport
import SNPABI
import Testing

/// The PostgreSQL store against a real server (Debian's postgresql, started by the test on a
/// unix socket as `nobody`): stateless replicas, single-use nonces raced across replicas, keys
/// sealed at rest, the schema guard, and a store that goes away mid-handshake.
@Suite(.serialized) struct PostgresStoreTests {
    /// A second replica: another service with its own pool on the same database.
    static func replica(of broker: BrokerHarness, database: String) async throws -> (KeyBrokerService, PostgresBrokerStorage) {
        let storage = try await PostgresTestServer.shared().makeStorage(database: database, kek: (broker.storage as! PostgresBrokerStorage).kek)
        return (KeyBrokerService(storage: storage, trustFiles: broker.tree.fileSystem, sealer: broker.sealer, audit: broker.audit, clock: broker.clock,
                                 random: GetrandomSource()), storage)
    }

    static func request(_ method: String, _ path: String, _ body: [UInt8] = [], cookie: String?) -> BrokerRequest {
        BrokerRequest(method: method, path: path, headers: cookie.map { [("Cookie", "kbs-session-id=\($0)")] } ?? [], body: body)
    }

    /// Every step on either replica; the same `/attest` raced at both: exactly one wins, every time.
    @Test func aNonceIsConsumedByExactlyOneReplica() async throws {
        let server = try PostgresTestServer.shared()
        let database = try server.makeDatabase()
        let broker = try await BrokerHarness(storage: { _ in try await server.makeStorage(database: database) })
        let (other, _) = try await Self.replica(of: broker, database: database)
        let replicas = [broker.service, other]
        for round in 0..<25 {
            let (session, challenge) = try await broker.auth()
            let body = try broker.attestation(nonce: challenge.nonce).jsonBytes()
            let statuses = await withTaskGroup(of: Int.self) { group in
                for index in 0..<4 {
                    let service = replicas[index % 2]
                    group.addTask { await service.handle(Self.request("POST", "/kbs/v0/attest", body, cookie: session)).status }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1, "round \(round): \(statuses)")
            #expect(statuses.filter { $0 == 401 }.count == 3)
            // The resource step on the replica that did not necessarily attest: no affinity needed.
            let released = await replicas[round % 2].handle(Self.request("GET", "/kbs/v0/resource/default/disk/root", cookie: session))
            #expect(released.status == 200)
        }
        #expect(broker.sealer.released.withLock { $0.count } == 25)
        #expect(broker.sealer.released.withLock { $0.allSatisfy { $0.key == broker.diskKey } })
        // The racers replay the guest's relayed body and cookie (what the host sees): whichever wins,
        // the key is sealed only to the guest's tee-pubkey, whose private half the host never sees.
        #expect(broker.sealer.released.withLock { $0.allSatisfy { $0.to == BrokerHarness.teeKey } })
        let rows = try await (broker.storage as! PostgresBrokerStorage).auditLines()
        #expect(rows.filter { $0.contains("\"decision\":\"release\"") }.count == 25, "one audit row per release")
    }

    /// A broker on a fresh database that released the key once.
    static func releasedOnce() async throws -> (PostgresTestServer, String, BrokerHarness) {
        let server = try PostgresTestServer.shared()
        let database = try server.makeDatabase()
        let broker = try await BrokerHarness(storage: { _ in try await server.makeStorage(database: database) })
        let (session, challenge) = try await broker.auth()
        #expect(await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: session).status == 200)
        #expect(await broker.get("/kbs/v0/resource/default/disk/root", cookie: session).status == 200)
        return (server, database, broker)
    }

    @Test func keysAreSealedAtRestAndTheDumpHoldsNoKey() async throws {
        let (server, database, broker) = try await Self.releasedOnce()
        let storage = broker.storage as! PostgresBrokerStorage
        let secret = try await storage.keyIDSecret(random: GetrandomSource()).withUnsafeBytes { Array($0) }
        let dump = try server.dump(database)
        #expect(dump.contains("CREATE TABLE public.resources"), "the dump is real")
        for material in [broker.diskKey, secret] {
            for encoding in [Hex.encode(material), Hex.encode(material).uppercased(), Base64.encode(material), Base64URL.encode(material),
                             Hex.encode(material.prefix(16)), String(Base64.encode(material).prefix(20))] {
                #expect(!dump.contains(encoding), "the dump holds key material")
            }
        }
        // Another KEK opens nothing.
        let wrong = try KeyEncryptionKey(key: SecretBytes(copying: [UInt8](repeating: 9, count: 32)))
        let stranger = try await server.makeStorage(database: database, kek: wrong)
        await #expect(throws: BrokerStoreError.self) { _ = try await stranger.key(for: broker.resource) }
    }

    /// docs/broker.md's backup: `pg_dump --format=custom`, `pg_restore` into a new database. With
    /// its KEK the restored store serves the key, policy and audit trail; with another KEK it opens nothing.
    @Test func aRestoredDumpServesWithItsKEKAndOpensNothingWithout() async throws {
        let (server, database, broker) = try await Self.releasedOnce()
        let kek = (broker.storage as! PostgresBrokerStorage).kek
        let restoredName = try server.makeDatabase()
        try server.dumpAndRestore(database, into: restoredName)

        let restored = try await server.makeStorage(database: restoredName, kek: kek)
        #expect(try await restored.migrate() == PostgresSchema.current, "the restored schema is current: migrate has nothing to do")
        #expect(try await restored.key(for: broker.resource).withUnsafeBytes { Array($0) } == broker.diskKey)
        #expect(try await restored.policyText(for: broker.resource) == broker.simulator.examplePolicy)
        #expect(try await restored.auditLines().filter { $0.contains("\"decision\":\"release\"") }.count == 1)
        #expect(throws: (any Error).self) { try server.psql("DELETE FROM audit", database: restoredName) }

        let stranger = try await server.makeStorage(database: restoredName, kek: KeyEncryptionKey(key: SecretBytes(copying: [UInt8](repeating: 3, count: 32))))
        await #expect(throws: BrokerStoreError.self) { _ = try await stranger.key(for: broker.resource) }
    }

    @Test func theAuditTableIsAppendOnlyAndPoliciesKeepTheirHistory() async throws {
        let server = try PostgresTestServer.shared()
        let database = try server.makeDatabase()
        let broker = try await BrokerHarness(storage: { _ in try await server.makeStorage(database: database) })
        let (session, _) = try await broker.auth()
        #expect(await broker.get("/kbs/v0/resource/default/disk/root", cookie: session).status == 401)
        _ = try await broker.storage.appendAudit(AuditEvent(time: "t", decision: .refusal, endpoint: "test"))
        #expect(throws: (any Error).self) { try server.psql("UPDATE audit SET line = 'forged'", database: database) }
        #expect(throws: (any Error).self) { try server.psql("DELETE FROM audit", database: database) }
        #expect(try server.psql("SELECT count(*) FROM audit", database: database).trimmingCharacters(in: .whitespacesAndNewlines) == "1")

        let first = try await broker.storage.policyText(for: broker.resource)
        let second = first + "\n# tightened\n"
        try await broker.storage.storePolicy(second, for: broker.resource)
        #expect(try await broker.storage.policyText(for: broker.resource) == second)
        try await broker.storage.delete(broker.resource)
        let history = try await broker.storage.policyHistory(for: broker.resource)
        #expect(history.map(\.text) == [first, second, nil])
        await #expect(throws: BrokerStoreError.self) { _ = try await broker.storage.policyText(for: broker.resource) }
    }

    @Test func aSchemaFromTheFutureOrNoneIsRefused() async throws {
        let server = try PostgresTestServer.shared()
        let database = try server.makeDatabase()
        let location = try PostgresStoreURL(parsing: server.url(database))
        let kek = try KeyEncryptionKey(key: SecretBytes(copying: [UInt8](repeating: 1, count: 32)))
        do {
            _ = try await PostgresBrokerStorage(configuration: location.configuration(password: server.password), kek: kek, random: GetrandomSource())
            Issue.record("a database without the schema was accepted")
        } catch {
            #expect("\(error)".contains("migrate"), "\(error)")
        }
        _ = try await server.makeStorage(database: database)
        try server.psql("UPDATE guestguard_schema SET version = \(PostgresSchema.current + 1)", database: database)
        do {
            _ = try await PostgresBrokerStorage(configuration: location.configuration(password: server.password), kek: kek, random: GetrandomSource())
            Issue.record("a schema from the future was accepted")
        } catch {
            #expect("\(error)".contains("newer than this broker knows"), "\(error)")
        }
        let migrator = try await PostgresBrokerStorage(configuration: location.configuration(password: server.password), kek: kek,
                                                       random: GetrandomSource(), checkSchema: false)
        await #expect(throws: BrokerStoreError.self) { try await migrator.migrate() }
    }

    @Test(arguments: [(0o644 as UInt32, 32), (0o640, 32), (0o600, 31), (0o600, 33), (0o600, 0)])
    func aKEKFileWithTheWrongModeOrLengthIsRefused(mode: UInt32, length: Int) throws {
        let tree = TemporaryFileTree(prefix: "guestguard-kek")
        try tree.fileSystem.writeFile("/kek", bytes: [UInt8](repeating: 7, count: length), mode: mode)
        #expect(throws: BrokerStoreError.self) { _ = try KeyEncryptionKey.load("/kek", files: tree.fileSystem) }
        try tree.fileSystem.writeFile("/good", bytes: [UInt8](repeating: 7, count: 32), mode: 0o600)
        _ = try KeyEncryptionKey.load("/good", files: tree.fileSystem)
    }

    @Test(arguments: ["postgres://guestguard:secret@localhost/db", "postgres://guestguard@localhost/db?password=secret", "mysql://x@y/z"])
    func aPasswordOnTheCommandLineIsRefused(url: String) {
        do {
            _ = try PostgresStoreURL(parsing: url)
            Issue.record("accepted \(url)")
        } catch {
            #expect(!"\(error)".contains("secret"), "the message repeats the password: \(error)")
        }
    }

    /// The store goes away between `/attest` and `/resource`: 503 with Retry-After, nothing released.
    @Test func aStoreThatGoesAwayMidHandshakeGives503AndReleasesNothing() async throws {
        let server = try PostgresTestServer()
        defer { server.stop() }
        let broker = try await BrokerHarness(storage: { _ in try await server.makeStorage() })
        let (session, challenge) = try await broker.auth()
        #expect(await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: session).status == 200)
        #expect(await broker.service.handle(BrokerRequest(method: "GET", path: "/healthz")).status == 200)
        server.stop(remove: false)
        let response = await broker.get("/kbs/v0/resource/default/disk/root", cookie: session)
        #expect(response.status == 503)
        #expect(response.headers.contains { $0.name == "Retry-After" })
        #expect(broker.sealer.released.withLock { $0.isEmpty }, "nothing released")
        #expect(broker.audit.all.last?.decision == .refusal)
        #expect(await broker.service.handle(BrokerRequest(method: "GET", path: "/healthz")).status == 503)
        let auth = await broker.post("/kbs/v0/auth", try Request().jsonBytes())
        #expect(auth.status == 503)
    }
}
