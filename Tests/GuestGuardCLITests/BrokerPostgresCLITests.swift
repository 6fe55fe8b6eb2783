import Foundation
import GuestGuardTestSupport
import KeyBrokerPostgresTestSupport
import Testing

/// `guestguard-broker` on the PostgreSQL store as separate processes against a real PostgreSQL
/// (started by the test, unix socket only): `migrate`, `key`/`policy` with the same commands as on
/// the file store, `serve` and a guest's `get-resource`; the password only from a file or the
/// environment; a bad key-encryption key file and a schema from the future refused at start.
@Suite(.serialized) struct BrokerPostgresCLITests {
    struct Setup {
        let dir: String
        let key: Data
        let server: PostgresTestServer
        let database: String
        /// `--store URL --kek FILE --store-password-file FILE`.
        let store: [String]
    }

    func runBroker(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIRunner.Outcome {
        try CLIRunner.run(arguments, executable: BrokerProcess.executable, environment: environment)
    }

    /// A simulator, a disk key, a fresh database, a 0600 KEK and a password file.
    func setUp() throws -> Setup {
        let dir = TemporaryFileTree.shared.directory("broker-pg-cli")
        #expect(try CLIRunner.run(["simulator", "init", dir + "/sim"]).status == 0)
        let key = Data((0..<64).map { _ in UInt8.random(in: 0...255) })
        try key.write(to: URL(fileURLWithPath: dir + "/disk.key"))
        try Data((0..<32).map { _ in UInt8.random(in: 0...255) }).write(to: URL(fileURLWithPath: dir + "/kek"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: dir + "/kek")
        let server = try PostgresTestServer.shared()
        try Data((server.password + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/pw"))
        let database = try server.makeDatabase()
        return Setup(dir: dir, key: key, server: server, database: database,
                     store: ["--store", server.url(database), "--kek", dir + "/kek", "--store-password-file", dir + "/pw"])
    }

    @Test func migrateKeyPolicyServeAndGetResourceOnPostgreSQL() throws {
        let s = try setUp()
        // Before `migrate` the broker refuses the database.
        let early = try runBroker(["key", "list"] + s.store)
        #expect(early.status != 0 && early.stderr.contains("migrate"), "\(early.stderr)")
        // The password from the environment instead of the file.
        let url = ["--store", s.server.url(s.database), "--kek", s.dir + "/kek"]
        let migrated = try runBroker(["migrate"] + url, environment: ["PGPASSWORD": s.server.password])
        #expect(migrated.status == 0 && migrated.stdout.contains("migrated from version 0 to 1"), "\(migrated.stderr)")
        #expect(try runBroker(["migrate"] + s.store).stdout.contains("nothing to do"))

        // The same key and policy commands as with --data.
        let imported = try runBroker(["key", "import", "default/disk/root", s.dir + "/disk.key"] + s.store)
        #expect(imported.status == 0, "\(imported.stderr)")
        let policy = try runBroker(["policy", "set", "default/disk/root", s.dir + "/sim/policy.toml"] + s.store)
        #expect(policy.status == 0, "\(policy.stderr)")
        #expect(try runBroker(["key", "create", "default/disk/spare"] + s.store).status == 0)
        let listed = try runBroker(["key", "list"] + s.store)
        #expect(listed.stdout.contains("default/disk/root\tkey: yes\tpolicy: yes"), "\(listed.stdout)\(listed.stderr)")
        #expect(listed.stdout.contains("default/disk/spare\tkey: yes\tpolicy: NONE"))
        #expect(try runBroker(["policy", "show", "default/disk/root"] + s.store).stdout.contains("ark-fingerprints"))
        #expect(try runBroker(["key", "delete", "default/disk/spare"] + s.store).status == 0)
        #expect(!(try runBroker(["key", "list"] + s.store).stdout.contains("spare")))

        let broker = try BrokerProcess(arguments: s.store + ["--audit", s.dir + "/audit.log"], tls: false)
        let health = try broker.raw(Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        let fetched = try CLIRunner.run(["get-resource"] + broker.trust + ["--resource", "default/disk/root", "--simulator", s.dir + "/sim",
                                                                            "--out", s.dir + "/fetched.key"])
        let output = broker.stop()
        #expect(health.hasPrefix("HTTP/1.1 200"), "ready when the store answers: \(health)")
        #expect(fetched.status == 0, "\(fetched.stderr)\n\(output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: s.dir + "/fetched.key")) == s.key)
        #expect(output.contains("(store postgres://guestguard@/"), "the banner names the store: \(output)")
        let rows = try s.server.psql("SELECT count(*) FROM audit WHERE decision = 'release'", database: s.database)
        #expect(rows.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "the release is in the audit table")
        // Nothing on the broker's output or in the database dump holds the key or the password.
        let dump = try s.server.dump(s.database)
        let hex = s.key.map { String(format: "%02x", $0) }.joined()
        for text in [output, dump, fetched.stderr] {
            #expect(!text.contains(hex) && !text.contains(s.key.base64EncodedString()))
            #expect(!text.contains(s.server.password))
        }
    }

    @Test func aKEKFileWithTheWrongModeOrLengthIsRefusedAtStart() throws {
        let s = try setUp()
        #expect(try runBroker(["migrate"] + s.store).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: s.dir + "/kek")
        let open = try runBroker(["serve", "--listen", "127.0.0.1:0"] + s.store)
        #expect(open.status != 0 && open.stderr.contains("lets others read it"), "\(open.stderr)")
        try Data(repeating: 7, count: 31).write(to: URL(fileURLWithPath: s.dir + "/short"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: s.dir + "/short")
        let short = try runBroker(["serve", "--listen", "127.0.0.1:0", "--store", s.server.url(s.database), "--kek", s.dir + "/short",
                                   "--store-password-file", s.dir + "/pw"])
        #expect(short.status != 0 && short.stderr.contains("exactly 32"), "\(short.stderr)")
        let missing = try runBroker(["serve", "--listen", "127.0.0.1:0", "--store", s.server.url(s.database), "--store-password-file", s.dir + "/pw"])
        #expect(missing.status != 0 && missing.stderr.contains("--kek"), "\(missing.stderr)")
    }

    @Test func aSchemaFromTheFutureIsRefusedAtStart() throws {
        let s = try setUp()
        #expect(try runBroker(["migrate"] + s.store).status == 0)
        try s.server.psql("UPDATE guestguard_schema SET version = 99", database: s.database)
        let served = try runBroker(["serve", "--listen", "127.0.0.1:0"] + s.store)
        #expect(served.status != 0 && served.stderr.contains("newer than this broker knows"), "\(served.stderr)")
        let migrated = try runBroker(["migrate"] + s.store)
        #expect(migrated.status != 0 && migrated.stderr.contains("newer than this broker knows"), "\(migrated.stderr)")
    }

    @Test(arguments: ["postgres://guestguard:hunter2-pw@localhost/db", "postgres://guestguard@localhost/db?password=hunter2-pw"])
    func aPasswordOnTheCommandLineIsRefusedAndNotRepeated(url: String) throws {
        let s = try setUp()
        let refused = try runBroker(["key", "list", "--store", url, "--kek", s.dir + "/kek"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--store-password-file") || refused.stderr.contains("PGPASSWORD"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("hunter2-pw"), "the message repeats the password: \(refused.stderr)")
    }
}
