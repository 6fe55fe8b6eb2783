import KeyBrokerServer
import Logging
import PostgresNIO

/// The broker's tables in PostgreSQL, versioned. `guestguard-broker migrate` creates them (or
/// brings an older schema up to ``current``) in one transaction under an advisory lock; a broker
/// refuses to serve a schema it does not know (newer, missing, or older than ``current``).
///
/// - `resources`: one row per resource; `sealed_key` is AES-256-GCM under the KEK (never plain).
/// - `policies`: every policy text a resource has had (`text` NULL records a deletion); the
///   current one has the highest `version`. Stored as text, so other policy tools keep working.
/// - `policy_generation`: bumped with every policy change (replicas cache what depends on it).
/// - `sessions`: RCAR sessions; `state` issued → consumed → attested. A nonce is consumed by one
///   `UPDATE … WHERE state = 'issued' … RETURNING`, which succeeds for exactly one caller.
/// - `secrets`: the `key-id` secret, sealed under the KEK.
/// - `audit`: the append-only audit trail (a trigger refuses UPDATE, DELETE and TRUNCATE).
/// - `kds_documents`: VCEKs, ASK/ARK chains and CRLs fetched from AMD's KDS, by cache name (public data).
public enum PostgresSchema {
    public static let current = 1
    /// `pg_advisory_xact_lock` key serialising concurrent migrations ("gg-brokr").
    static let migrationLock: Int64 = 0x6767_2D62_726F_6B72

    /// Statements taking version n-1 to n, by n.
    static let migrations: [Int: [String]] = [
        1: [
            "CREATE TABLE guestguard_schema (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), version integer NOT NULL)",
            "INSERT INTO guestguard_schema (version) VALUES (0)",
            "CREATE TABLE resources (id text PRIMARY KEY, sealed_key bytea)",
            """
            CREATE TABLE policies (resource text NOT NULL, version integer NOT NULL, text text, stored_at bigint NOT NULL,
                                   PRIMARY KEY (resource, version))
            """,
            "CREATE TABLE policy_generation (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), generation bigint NOT NULL)",
            "INSERT INTO policy_generation (generation) VALUES (0)",
            """
            CREATE TABLE sessions (id text PRIMARY KEY, nonce text NOT NULL,
                                   state text NOT NULL CHECK (state IN ('issued', 'consumed', 'attested')),
                                   expires bigint NOT NULL, report bytea, tee_pubkey text, root bytea, tpm_pcrs text)
            """,
            "CREATE INDEX sessions_expires ON sessions (expires)",
            "CREATE TABLE secrets (name text PRIMARY KEY, sealed bytea NOT NULL)",
            """
            CREATE TABLE audit (seq bigserial PRIMARY KEY, recorded_at timestamptz NOT NULL DEFAULT now(),
                                decision text NOT NULL, line text NOT NULL)
            """,
            """
            CREATE FUNCTION guestguard_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'the guestguard audit trail is append-only'; END $$
            """,
            """
            CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
            FOR EACH STATEMENT EXECUTE FUNCTION guestguard_audit_append_only()
            """,
            // KDS collateral cache (docs/broker-kds.md): VCEKs by (product, hwid, TCB), chains and CRLs by product.
            "CREATE TABLE kds_documents (name text PRIMARY KEY, body bytea NOT NULL, stored_at bigint NOT NULL)",
        ]
    ]

    /// The schema version in the database; nil when there is none.
    static func version(_ client: PostgresClient, logger: Logger) async throws(BrokerStoreError) -> Int? {
        do {
            let exists = try await client.query("SELECT to_regclass('guestguard_schema') IS NOT NULL", logger: logger)
            for try await (present) in exists.decode(Bool.self) where !present { return nil }
            for try await (version) in try await client.query("SELECT version FROM guestguard_schema", logger: logger).decode(Int.self) {
                return version
            }
            return nil
        } catch {
            throw PostgresBrokerStorage.failure(error)
        }
    }

    /// Refuses a database whose schema is not exactly ``current``.
    static func check(_ client: PostgresClient, logger: Logger) async throws(BrokerStoreError) {
        guard let version = try await version(client, logger: logger) else {
            throw .corrupt("the database has no guestguard schema: run `guestguard-broker migrate` first")
        }
        if version > current {
            throw .corrupt("the database's schema version \(version) is newer than this broker knows (\(current)): refusing to serve it; upgrade the broker")
        }
        if version < current {
            throw .corrupt("the database's schema version \(version) is older than this broker's (\(current)): run `guestguard-broker migrate`")
        }
    }

    /// Creates or upgrades the schema to ``current``; returns the version found before.
    @discardableResult
    public static func migrate(_ client: PostgresClient, logger: Logger) async throws(BrokerStoreError) -> Int {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
                var found = 0
                let exists = try await connection.query("SELECT to_regclass('guestguard_schema') IS NOT NULL", logger: logger)
                var present = false
                for try await (value) in exists.decode(Bool.self) { present = value }
                if present {
                    for try await (version) in try await connection.query("SELECT version FROM guestguard_schema", logger: logger).decode(Int.self) {
                        found = version
                    }
                }
                guard found <= current else { throw BrokerStoreError.corrupt("the database's schema version \(found) is newer than this broker knows (\(current))") }
                if found < current {
                    for target in (found + 1)...current {
                        for statement in migrations[target] ?? [] {
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await connection.query("UPDATE guestguard_schema SET version = \(target)", logger: logger)
                    }
                }
                return found
            }
        } catch let error as BrokerStoreError {
            throw error
        } catch {
            throw PostgresBrokerStorage.failure(error)
        }
    }
}
