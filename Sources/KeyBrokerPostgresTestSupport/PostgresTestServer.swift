import Foundation
import GuestGuardLinux
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

    /// Runs a PostgreSQL tool to completion: posix_spawn with its output in a file, then waitpid.
    /// (Not Foundation's Process: its waitUntilExit can miss the exit of a child whose own child,
    /// here the postmaster `pg_ctl start` forks, lives on, and then it waits forever.)
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let outputPath = directory + "/tool-output-\(UInt64.random(in: 0...UInt64.max))"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = password
        var cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { for pointer in cArguments + cEnvironment { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &cArguments, &cEnvironment)
        guard spawned == 0 else { throw PostgresTestError("posix_spawn \(arguments[0]): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard exitCode == 0 else {
            throw PostgresTestError("\(arguments.prefix(2).joined(separator: " ")) failed (\(exitCode)): \(text)")
        }
        return text
    }
}

/// Setting up or driving the test server failed.
public struct PostgresTestError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
