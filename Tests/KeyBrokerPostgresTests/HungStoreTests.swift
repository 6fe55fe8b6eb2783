import Foundation
import GuestGuardPlatform
import GuestGuardLinux
import KeyBrokerPostgres
import KeyBrokerPostgresTestSupport
import KeyBrokerServer
import KeyBrokerTestSupport
import Testing

/// A PostgreSQL that hangs (every server process stopped with SIGSTOP: connections stay open,
/// nothing answers) between `/attest` and `/resource`. postgres-nio does not give up a query in
/// flight on cancellation; the broker's statement deadline still answers 503 with Retry-After
/// and releases nothing. (The suite's time limit is what "bounded" means here: no timing is asserted.)
@Suite(.serialized, .timeLimit(.minutes(2))) struct HungStoreTests {
    /// The test server's processes: the postmaster (data/postmaster.pid) and its children.
    static func serverProcesses(_ server: PostgresTestServer) throws -> [pid_t] {
        let text = try String(contentsOfFile: server.directory + "/data/postmaster.pid", encoding: .utf8)
        guard let postmaster = text.split(separator: "\n").first.flatMap({ pid_t($0) }) else { return [] }
        var found = [postmaster]
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") {
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, pid_t(fields[1]) == postmaster { found.append(pid) }
        }
        return found
    }

    @Test func aHungStoreGives503WithinTheDeadlineAndReleasesNothing() async throws {
        let server = try PostgresTestServer()
        defer { server.stop() }
        let location = try PostgresStoreURL(parsing: server.url(try server.makeDatabase()))
        let broker = try await BrokerHarness(storage: { _ in
            let storage = try await PostgresBrokerStorage(configuration: location.configuration(password: server.password),
                                                          kek: try KeyEncryptionKey(key: SecretBytes(copying: try GetrandomSource().bytes(32))),
                                                          random: GetrandomSource(), checkSchema: false, deadline: .seconds(1))
            try await storage.migrate()
            return storage
        })
        let (session, challenge) = try await broker.auth()
        #expect(await broker.post("/kbs/v0/attest", try broker.attestation(nonce: challenge.nonce).jsonBytes(), cookie: session).status == 200)
        let stopped = try Self.serverProcesses(server)
        #expect(stopped.count > 1, "the postmaster and its backends")
        for pid in stopped { kill(pid, SIGSTOP) }
        let response = await broker.get("/kbs/v0/resource/default/disk/root", cookie: session)
        for pid in stopped { kill(pid, SIGCONT) }
        #expect(response.status == 503)
        #expect(response.headers.contains { $0.name == "Retry-After" })
        #expect(broker.sealer.released.withLock { $0.isEmpty }, "nothing released")
        #expect(broker.audit.all.last?.reasons.contains { $0.contains("did not answer within") } == true)
        await (broker.storage as? PostgresBrokerStorage)?.shutdown()
    }
}
