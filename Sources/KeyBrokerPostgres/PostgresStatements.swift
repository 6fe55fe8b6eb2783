import NIOCore
import PostgresNIO

/// The statements of a handshake, prepared once per connection (postgres-nio's
/// `PostgresPreparedStatement`): the server parses and plans each once, not once per request.
/// A handshake costs five round trips: `/auth` one (``InsertSession``), `/attest` two
/// (``ConsumeNonce``, ``MarkAttested``), `/resource` two (``ReleaseMaterialQuery``, ``AppendAudit``).
enum PostgresStatements {
    /// A new challenged session (admission is decided by the replica's session count, not here).
    struct InsertSession: PostgresPreparedStatement {
        static let sql = "INSERT INTO sessions (id, nonce, state, expires) VALUES ($1, $2, 'issued', $3)"
        typealias Row = Void
        let id: String, nonce: String, expires: Int64
        func makeBindings() throws -> PostgresBindings { try bindings(id, nonce, expires) }
        func decodeRow(_ row: PostgresRow) throws {}
    }

    /// Deletes the expired sessions and counts the live ones: how many went, how many live, the
    /// earliest expiry among them. Run by a replica at most once a second.
    struct SweepSessions: PostgresPreparedStatement {
        static let sql = """
            WITH gone AS (DELETE FROM sessions WHERE expires <= $1 RETURNING 1)
            SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM sessions WHERE expires > $1),
                   (SELECT min(expires) FROM sessions WHERE expires > $1)
            """
        typealias Row = (Int64, Int64, Int64?)
        let now: Int64
        func makeBindings() throws -> PostgresBindings { try bindings(now) }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// The session's nonce consumed and the policy generation, in one statement. No row: no live
    /// session. A NULL nonce: it was consumed before. Concurrent callers on any replica block on
    /// the row lock; PostgreSQL re-checks `state = 'issued'` for each after the first commits,
    /// so exactly one gets the nonce.
    struct ConsumeNonce: PostgresPreparedStatement {
        static let sql = """
            WITH live AS (SELECT expires FROM sessions WHERE id = $1 AND expires > $2),
                 taken AS (UPDATE sessions SET state = 'consumed' WHERE id = $1 AND state = 'issued' AND expires > $2 RETURNING nonce)
            SELECT (SELECT nonce FROM taken), live.expires, (SELECT generation FROM policy_generation) FROM live
            """
        typealias Row = (String?, Int64, Int64?)
        let id: String, now: Int64
        func makeBindings() throws -> PostgresBindings { try bindings(id, now) }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// The verified evidence of a consumed session.
    struct MarkAttested: PostgresPreparedStatement {
        static let sql = """
            UPDATE sessions SET state = 'attested', report = $2, tee_pubkey = $3, root = $4, tpm_pcrs = $5
            WHERE id = $1 AND state = 'consumed' RETURNING id
            """
        typealias Row = String
        let id: String, report: ByteBuffer, teePubkey: String, root: ByteBuffer, pcrs: String?
        func makeBindings() throws -> PostgresBindings {
            var values = PostgresBindings(capacity: 5)
            values.append(id)
            values.append(report)
            values.append(teePubkey)
            values.append(root)
            values.append(pcrs)
            return values
        }
        func decodeRow(_ row: PostgresRow) throws -> String { try row.decode(String.self) }
    }

    /// `/resource`'s reads: the live session (NULL columns when there is none), the resource's
    /// current policy text and its sealed key.
    struct ReleaseMaterialQuery: PostgresPreparedStatement {
        static let sql = """
            SELECT s.nonce, s.state, s.expires, s.report, s.tee_pubkey, s.root, s.tpm_pcrs,
                   (SELECT p.text FROM policies p WHERE p.resource = $2 ORDER BY p.version DESC LIMIT 1),
                   (SELECT r.sealed_key FROM resources r WHERE r.id = $2)
            FROM (VALUES (1)) AS one LEFT JOIN sessions s ON s.id = $1 AND s.expires > $3
            """
        typealias Row = (SessionColumns?, String?, ByteBuffer?)
        let id: String, resource: String, now: Int64
        func makeBindings() throws -> PostgresBindings { try bindings(id, resource, now) }
        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (nonce, state, expires, report, key, root, pcrs, text, sealed) = try row.decode(
                (String?, String?, Int64?, ByteBuffer?, String?, ByteBuffer?, String?, String?, ByteBuffer?).self)
            let session = zip3(nonce, state, expires).map { SessionColumns(nonce: $0.0, state: $0.1, expires: $0.2, report: report, teePubkey: key, root: root, pcrs: pcrs) }
            return (session, text, sealed)
        }
    }

    /// One audit row.
    struct AppendAudit: PostgresPreparedStatement {
        static let sql = "INSERT INTO audit (decision, line) VALUES ($1, $2)"
        typealias Row = Void
        let decision: String, line: String
        func makeBindings() throws -> PostgresBindings { try bindings(decision, line) }
        func decodeRow(_ row: PostgresRow) throws {}
    }

    /// A `sessions` row as stored.
    struct SessionColumns: Sendable {
        var nonce: String, state: String, expires: Int64
        var report: ByteBuffer?, teePubkey: String?, root: ByteBuffer?, pcrs: String?
    }

    static func zip3<A, B, C>(_ a: A?, _ b: B?, _ c: C?) -> (A, B, C)? {
        guard let a, let b, let c else { return nil }
        return (a, b, c)
    }
}


extension PostgresPreparedStatement {
    /// `values` bound in order ($1, $2, …).
    func bindings(_ values: any PostgresEncodable...) throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { try bindings.append(value) }
        return bindings
    }
}
