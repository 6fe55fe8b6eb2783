import CanonicalJSON
import GuestGuardCrypto
import GuestGuardPlatform
import KeyBrokerProtocol
import KeyBrokerServer
import Logging
import NIOCore
import PostgresNIO
import SNPABI
import Synchronization

/// ``BrokerStorage`` in PostgreSQL (``PostgresSchema``): every replica reads and writes the same
/// rows, so any step of a handshake may land on any replica. Keys and the `key-id` secret are
/// sealed under the ``KeyEncryptionKey``; a nonce is consumed by one conditional `UPDATE`, which
/// succeeds for exactly one caller across all replicas. Session expiry uses the broker's clock
/// (replicas keep their clocks in step, as for the session cookie's `Expires`).
public final class PostgresBrokerStorage: BrokerStorage {
    let client: PostgresClient
    public let kek: KeyEncryptionKey
    let random: any RandomSource
    let logger: Logger
    /// How long one statement may take before the store counts as unavailable.
    let deadlines: StatementDeadlines
    private let runner: Task<Void, Never>
    private let sweeper: Task<Void, Never>
    /// This replica's view of the session table (``insertSession(_:capacity:now:)``).
    let sweep = Mutex(SessionTally())

    struct SessionTally {
        /// Sessions this replica deleted on expiry.
        var expired = 0
        /// When it last swept.
        var last: Int64 = 0
        /// Live sessions at the last sweep plus this replica's admissions since.
        var live = 0
        /// The earliest expiry among them.
        var oldest: Int64?
    }

    /// Connects (the pool runs until ``shutdown()``) and checks the schema: a database without
    /// it, or with a version this broker does not know, is refused.
    ///
    /// - Parameter deadline: how long one statement may take (waiting for a connection included)
    ///   before the store counts as unavailable.
    public init(configuration: PostgresClient.Configuration, kek: KeyEncryptionKey, random: any RandomSource,
                logger: Logger = Logger(label: "guestguard-broker.postgres"), checkSchema: Bool = true,
                deadline: Duration = .seconds(5)) async throws(BrokerStoreError) {
        let deadlines = StatementDeadlines(limit: deadline)
        self.deadlines = deadlines
        var configuration = configuration
        configuration.options.connectTimeout = .seconds(3)
        // PostgreSQL ends a statement that outlives the broker's deadline itself (lock waits included).
        let milliseconds = deadline.components.seconds * 1_000 + deadline.components.attoseconds / 1_000_000_000_000_000
        configuration.options.additionalStartupParameters.append(("statement_timeout", String(milliseconds)))
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.kek = kek
        self.random = random
        self.logger = logger
        runner = Task { await client.run() }
        sweeper = Task { await deadlines.sweep() }
        if checkSchema {
            do { try await deadlines.run { try await PostgresSchema.check(client, logger: logger) } } catch {
                runner.cancel()
                sweeper.cancel()
                throw error
            }
        }
    }

    /// Closes the pool.
    public func shutdown() async {
        runner.cancel()
        sweeper.cancel()
        _ = await runner.value
    }

    /// Creates or upgrades the schema (``PostgresSchema/migrate(_:logger:)``); returns the version found.
    @discardableResult
    public func migrate() async throws(BrokerStoreError) -> Int { try await PostgresSchema.migrate(client, logger: logger) }

    /// Any error of the driver: the store is unavailable (connection refused or lost, server gone).
    static func failure(_ error: any Error) -> BrokerStoreError {
        if let known = error as? BrokerStoreError { return known }
        if let psql = error as? PSQLError, let server = psql.serverInfo?[.message] { return .unavailable("PostgreSQL: \(server)") }
        return .unavailable("PostgreSQL: \(String(reflecting: error).prefix(300))")
    }

    /// Runs `query`, decoding its one column as `T`.
    func rows<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type) async throws(BrokerStoreError) -> [T] {
        let (client, logger) = (client, logger)
        return try await deadlines.run {
            var result: [T] = []
            for try await row in try await client.query(query, logger: logger).decode(type) { result.append(row) }
            return result
        }
    }

    /// Runs `query`; each row is decoded by `decode` (several columns).
    func rows<R: Sendable>(_ query: PostgresQuery, _ decode: @escaping @Sendable (PostgresRow) throws -> R) async throws(BrokerStoreError) -> [R] {
        let (client, logger) = (client, logger)
        return try await deadlines.run {
            var result: [R] = []
            for try await row in try await client.query(query, logger: logger) { result.append(try decode(row)) }
            return result
        }
    }

    /// Runs a prepared statement (``PostgresStatements``), decoding its rows.
    func run<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws(BrokerStoreError) -> [Statement.Row]
        where Statement.Row: Sendable
    {
        let (client, logger) = (client, logger)
        return try await deadlines.run {
            var result: [Statement.Row] = []
            for try await row in try await client.execute(statement, logger: logger) { result.append(row) }
            return result
        }
    }

    func execute(_ query: PostgresQuery) async throws(BrokerStoreError) {
        let (client, logger) = (client, logger)
        _ = try await deadlines.run { try await client.query(query, logger: logger) }
    }

    static func keyContext(_ id: ResourceID) -> String { "guestguard-broker resource key v1 " + id.description }
    static let secretContext = "guestguard-broker key-id secret v1"

    // MARK: resources

    public func storeKey(_ key: SecretBytes, for id: ResourceID, replace: Bool) async throws(BrokerStoreError) {
        guard BrokerStore.keySizeRange.contains(key.count) else { throw .invalidKey(id, "must be \(BrokerStore.keySizeRange) bytes, got \(key.count)") }
        let sealed = ByteBuffer(bytes: try kek.seal(key, context: Self.keyContext(id), random: random))
        let name = id.description
        let stored = replace
            ? try await rows("""
                INSERT INTO resources (id, sealed_key) VALUES (\(name), \(sealed))
                ON CONFLICT (id) DO UPDATE SET sealed_key = EXCLUDED.sealed_key RETURNING id
                """, as: String.self)
            : try await rows("""
                INSERT INTO resources (id, sealed_key) VALUES (\(name), \(sealed))
                ON CONFLICT (id) DO UPDATE SET sealed_key = EXCLUDED.sealed_key WHERE resources.sealed_key IS NULL RETURNING id
                """, as: String.self)
        guard !stored.isEmpty else { throw .alreadyExists(id) }
    }

    public func key(for id: ResourceID) async throws(BrokerStoreError) -> SecretBytes {
        let found = try await rows("SELECT sealed_key FROM resources WHERE id = \(id.description) AND sealed_key IS NOT NULL", as: ByteBuffer.self)
        guard let sealed = found.first else { throw .noSuchResource(id) }
        return try kek.open(Array(sealed.readableBytesView), context: Self.keyContext(id))
    }

    public func storePolicy(_ text: String, for id: ResourceID) async throws(BrokerStoreError) {
        try BrokerStore.validatePolicy(text, for: id)
        let name = id.description
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("INSERT INTO resources (id) VALUES (\(name)) ON CONFLICT (id) DO NOTHING", logger: logger)
                try await connection.query("SELECT id FROM resources WHERE id = \(name) FOR UPDATE", logger: logger)
                try await connection.query("""
                    INSERT INTO policies (resource, version, text, stored_at)
                    SELECT \(name), coalesce(max(version), 0) + 1, \(text), extract(epoch FROM now())::bigint FROM policies WHERE resource = \(name)
                    """, logger: logger)
                try await connection.query("UPDATE policy_generation SET generation = generation + 1", logger: logger)
            }
        } catch {
            throw Self.failure(error)
        }
    }

    public func policyText(for id: ResourceID) async throws(BrokerStoreError) -> String {
        let found = try await rows("SELECT text FROM policies WHERE resource = \(id.description) ORDER BY version DESC LIMIT 1", as: String?.self)
        guard let text = found.first ?? nil else { throw .noPolicy(id) }
        return text
    }

    public func policyHistory(for id: ResourceID) async throws(BrokerStoreError) -> [PolicyRevision] {
        try await rows("SELECT version, text, stored_at FROM policies WHERE resource = \(id.description) ORDER BY version") { row in
            let (version, text, storedAt) = try row.decode((Int, String?, Int64).self)
            return PolicyRevision(version: version, text: text, storedAt: storedAt)
        }
    }

    public func delete(_ id: ResourceID) async throws(BrokerStoreError) {
        let name = id.description
        let deleted: Bool
        do {
            deleted = try await client.withTransaction(logger: logger) { connection in
                var found = false
                for try await _ in try await connection.query("DELETE FROM resources WHERE id = \(name) RETURNING id", logger: logger).decode(String.self) {
                    found = true
                }
                guard found else { return false }
                // The history records the deletion (a NULL text), when there was a policy.
                try await connection.query("""
                    INSERT INTO policies (resource, version, text, stored_at)
                    SELECT \(name), max(version) + 1, NULL, extract(epoch FROM now())::bigint FROM policies WHERE resource = \(name) HAVING count(*) > 0
                    """, logger: logger)
                try await connection.query("UPDATE policy_generation SET generation = generation + 1", logger: logger)
                return true
            }
        } catch {
            throw Self.failure(error)
        }
        guard deleted else { throw .noSuchResource(id) }
    }

    public func list() async throws(BrokerStoreError) -> [ResourceEntry] {
        let found = try await rows("""
            SELECT r.id, r.sealed_key IS NOT NULL,
                   coalesce((SELECT p.text IS NOT NULL FROM policies p WHERE p.resource = r.id ORDER BY p.version DESC LIMIT 1), false)
            FROM resources r ORDER BY r.id
            """) { row in try row.decode((String, Bool, Bool).self) }
        return found.compactMap { row in ResourceID(row.0).map { ResourceEntry(id: $0, hasKey: row.1, hasPolicy: row.2) } }
    }

    public func policyGeneration() async throws(BrokerStoreError) -> String {
        let found = try await rows("SELECT generation FROM policy_generation", as: Int64.self)
        return String(found.first ?? 0)
    }

    public func keyIDSecret(random: any RandomSource) async throws(BrokerStoreError) -> SecretBytes {
        for _ in 0..<2 {
            if let sealed = try await rows("SELECT sealed FROM secrets WHERE name = 'key-id'", as: ByteBuffer.self).first {
                return try kek.open(Array(sealed.readableBytesView), context: Self.secretContext)
            }
            let fresh: SecretBytes
            do { fresh = SecretBytes(copying: try random.bytes(KeyFingerprinter.secretByteCount)) } catch { throw .file(error) }
            let sealed = ByteBuffer(bytes: try kek.seal(fresh, context: Self.secretContext, random: random))
            // Replicas racing at first use converge on the row that won.
            try await execute("INSERT INTO secrets (name, sealed) VALUES ('key-id', \(sealed)) ON CONFLICT (name) DO NOTHING")
        }
        throw .corrupt("the key-id secret could not be stored")
    }
}
