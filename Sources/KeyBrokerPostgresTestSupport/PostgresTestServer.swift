import Foundation
import GuestGuardLinux
import GuestGuardLinuxProcesses
import GuestGuardPlatform
import KeyBrokerPostgres
import KeyBrokerServer
import Synchronization

/// A real PostgreSQL (Debian's `postgresql` package: `initdb` and `pg_ctl` from
/// /usr/lib/postgresql/<version>/bin) in a temporary directory, listening only on a unix socket
/// there (no TCP), run as `nobody` when the tests run as root (initdb refuses root). Password
/// authentication (SCRAM) for every role. Stopped and removed at process exit, or by ``stop()``.
public final class PostgresTestServer: Sendable {
    public let directory: String
    public let port = 5432
    /// The superuser (`postgres`) and the broker's role (`guestguard`) share this password.
    public let password: String
    let binaries: String
    /// The account the server runs as when the tests run as root (`runuser -u`).
    static let serverUser = "nobody"
    /// Its uid and gid, or nil when the tests do not run as root (the server runs as the caller).
    let owner: (uid: uid_t, gid: gid_t)?

    /// One server per test process; each test makes its own database (``makeDatabase()``).
    public static func shared() throws -> PostgresTestServer {
        try sharedServer.withLock { cached in
            if let cached { return cached }
            let server = try PostgresTestServer()
            cached = server
            atexit { PostgresTestServer.stopShared() }
            return server
        }
    }

    static let sharedServer = Mutex<PostgresTestServer?>(nil)
    static func stopShared() { sharedServer.withLock { $0?.stop() } }

    /// Starts a new server (tests that stop it mid-handshake use their own).
    public init() throws {
        guard let version = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.sorted().last else {
            throw PostgresTestError("PostgreSQL is not installed (Debian package postgresql; `make deps`)")
        }
        binaries = "/usr/lib/postgresql/\(version)/bin"
        var template = Array("/tmp/guestguard-pg.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw PostgresTestError("mkdtemp failed") }
        directory = String(cString: made)
        password = "pg-" + UUID().uuidString
        // initdb refuses root: as root (CI), the server runs as `nobody`, in a directory it owns.
        if getuid() == 0 {
            guard let account = getpwnam(Self.serverUser) else { throw PostgresTestError("no user \(Self.serverUser) to run PostgreSQL as") }
            owner = (account.pointee.pw_uid, account.pointee.pw_gid)
        } else {
            owner = nil
        }
        if let owner { guard chown(directory, owner.uid, owner.gid) == 0 else { throw PostgresTestError("chown \(directory) failed") } }
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/pwfile"))
        if let owner { _ = chown(directory + "/pwfile", owner.uid, owner.gid) }
        try runAsOwner([binaries + "/initdb", "-D", directory + "/data", "-U", "postgres", "-A", "scram-sha-256", "--pwfile", directory + "/pwfile",
                        "--no-sync", "-E", "UTF8", "--locale", "C"])
        try start()
        try psql("CREATE ROLE guestguard LOGIN PASSWORD '\(password)'")
    }

    /// `pg_ctl start` (waits until it accepts connections): unix socket in ``directory`` only.
    public func start() throws {
        try runAsOwner([binaries + "/pg_ctl", "-D", directory + "/data", "-l", directory + "/log", "-w", "-t", "30",
                        "-o", "-k \(directory) -c listen_addresses='' -p \(port) -c fsync=off -c max_connections=200", "start"])
    }

    /// `pg_ctl stop -m immediate`: connections drop at once (the store "goes away").
    public func stop(remove: Bool = true) {
        _ = try? runAsOwner([binaries + "/pg_ctl", "-D", directory + "/data", "-m", "immediate", "-w", "stop"])
        if remove { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// A fresh database owned by the broker's role.
    public func makeDatabase() throws -> String {
        let name = "gg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try psql("CREATE DATABASE \(name) OWNER guestguard")
        return String(name)
    }

    /// `--store` for `database` (no password: that comes from ``password``).
    public func url(_ database: String) -> String { "postgres://guestguard@/\(database)?host=\(directory)&port=\(port)" }

    /// A migrated store over a new database, with a fresh 32-byte KEK.
    public func makeStorage(database: String? = nil, kek: KeyEncryptionKey? = nil) async throws -> PostgresBrokerStorage {
        let name = try database ?? makeDatabase()
        let location = try PostgresStoreURL(parsing: url(name))
        let key = try kek ?? KeyEncryptionKey(key: SecretBytes(copying: try GetrandomSource().bytes(32)))
        let storage = try await PostgresBrokerStorage(configuration: location.configuration(password: password), kek: key, random: GetrandomSource(),
                                                      checkSchema: false)
        try await storage.migrate()
        return storage
    }

    /// Runs SQL as the superuser; returns psql's output (unaligned, tuples only).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try run([binaries + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", directory, "-p", "\(port)", "-U", "postgres", "-d", database, "-c", sql])
    }

    /// `pg_dump` of `database` (plain SQL).
    public func dump(_ database: String) throws -> String {
        try run([binaries + "/pg_dump", "-h", directory, "-p", "\(port)", "-U", "postgres", database])
    }

    /// Backup and restore as docs/broker.md tells operators: `pg_dump --format=custom` of
    /// `database`, then `pg_restore --no-owner --role=guestguard` into `target` (a fresh database).
    public func dumpAndRestore(_ database: String, into target: String) throws {
        let file = directory + "/backup-\(database).dump"
        defer { unlink(file) }
        try run([binaries + "/pg_dump", "-h", directory, "-p", "\(port)", "-U", "postgres", "--format=custom", "--file=" + file, database])
        try run([binaries + "/pg_restore", "-h", directory, "-p", "\(port)", "-U", "postgres", "--no-owner", "--role=guestguard",
                 "--exit-on-error", "--dbname=" + target, file])
    }

    func runAsOwner(_ arguments: [String]) throws {
        _ = try run(owner == nil ? arguments : ["/usr/sbin/runuser", "-u", Self.serverUser, "--"] + arguments)
    }

    /// Runs a PostgreSQL tool to completion through `ProgramRunner` (this process's environment and
    /// `PGPASSWORD`); its standard output. `pg_ctl start` sends the postmaster's output to `-l`'s
    /// log, so the server it leaves running holds none of our pipes.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let environment = ProgramRunner.inheritedEnvironment.filter { !$0.hasPrefix("PGPASSWORD=") } + ["PGPASSWORD=\(password)"]
        let outcome = try ProgramRunner(timeout: .seconds(300), environment: environment, outputLimit: 64 << 20).run(arguments[0], Array(arguments.dropFirst()))
        guard outcome.status == 0 else {
            throw PostgresTestError("\(arguments.prefix(2).joined(separator: " ")) failed (\(outcome.status)): \(outcome.standardOutput)\(outcome.standardError)")
        }
        return outcome.standardOutput
    }
}

/// Setting up or driving the test server failed.
public struct PostgresTestError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
