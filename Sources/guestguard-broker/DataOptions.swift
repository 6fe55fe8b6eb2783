#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerPostgres
import KeyBrokerServer

/// Where the broker's keys, policies and sessions live: `--data DIR` (the embedded store, the
/// default) or `--store postgres://…` with `--kek FILE` (shared by stateless replicas). The
/// PostgreSQL password never comes from the command line: `--store-password-file FILE` or the
/// environment (`PGPASSWORD`).
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The broker's data directory (keys and policies, mode 0700): the embedded store.", valueName: "DIR"))
    var data: String?

    @Option(help: ArgumentHelp("Keep everything in PostgreSQL instead: postgres://USER@HOST[:PORT]/DB or postgres://USER@/DB?host=/socket/dir (no password here).",
                               valueName: "URL"))
    var store: String?

    @Option(name: .customLong("store-password-file"), help: ArgumentHelp("The PostgreSQL password (first line); default: $PGPASSWORD, if set.", valueName: "FILE"))
    var storePasswordFile: String?

    @Option(help: ArgumentHelp("With --store: the key-encryption key sealing every key in the database (exactly 32 bytes, mode 0600).", valueName: "FILE"))
    var kek: String?

    func validate() throws {
        guard (data == nil) != (store == nil) else { throw ValidationError("give --data DIR or --store postgres://…, exactly one") }
        if store != nil && kek == nil { throw ValidationError("--store needs --kek FILE (the key-encryption key)") }
        if data != nil && (kek != nil || storePasswordFile != nil) { throw ValidationError("--kek and --store-password-file go with --store") }
    }

    /// Relative paths are taken from the working directory.
    var directory: String { HostFileSystem.absolutePath(data ?? ".") }

    /// The embedded store's directory (only with --data).
    var files: BrokerStore { BrokerStore(files: HostFileSystem(), root: directory) }

    /// What `serve` names in its banner.
    var location: String { store.map { "store \(PostgresStoreURL.redactedForDisplay($0))" } ?? "data \(directory)" }

    /// Opens the store; `body` runs with it, then a PostgreSQL pool is closed.
    func withStorage<R>(sessions: BrokerSessionStore = BrokerSessionStore(), checkSchema: Bool = true,
                        _ body: (any BrokerStorage) async throws -> R) async throws -> R {
        guard let store else { return try await body(EmbeddedBrokerStorage(files: files, sessions: sessions)) }
        let storage = try await openPostgres(store, checkSchema: checkSchema)
        do {
            let result = try await body(storage)
            await storage.shutdown()
            return result
        } catch {
            await storage.shutdown()
            throw error
        }
    }

    func openPostgres(_ url: String, checkSchema: Bool) async throws -> PostgresBrokerStorage {
        let host = HostFileSystem()
        do {
            let location = try PostgresStoreURL(parsing: url)
            var password: String? = nil
            if let storePasswordFile {
                let text = try host.readText(HostFileSystem.absolutePath(storePasswordFile), limit: 4096)
                password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
            } else if let environment = getenv("PGPASSWORD") {
                password = String(cString: environment)
            }
            let kek = try KeyEncryptionKey.load(HostFileSystem.absolutePath(kek ?? ""), files: host)
            return try await PostgresBrokerStorage(configuration: location.configuration(password: password), kek: kek, random: GetrandomSource(),
                                                   checkSchema: checkSchema)
        } catch let error as BrokerStoreError {
            throw BrokerCLIError(message: "cannot open the PostgreSQL store", causes: [error.description])
        } catch {
            throw BrokerCLIError(message: "cannot open the PostgreSQL store", causes: ["\(error)"])
        }
    }

    static func resource(_ text: String) throws -> ResourceID {
        guard let id = ResourceID(text) else {
            throw ValidationError("\(String(reflecting: text)) is not REPO/TYPE/TAG (each 1–64 of A-Z a-z 0-9 . _ -)")
        }
        return id
    }
}

/// A failure printed as `error: …` with `because: …` lines.
struct BrokerCLIError: Error, CustomStringConvertible {
    let message: String
    var causes: [String] = []
    var description: String { ([message] + causes.map { "because: \($0)" }).joined(separator: "\n") }
}
