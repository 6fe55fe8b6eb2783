import NIOCore
import PostgresNIO

/// The statements of a handshake, prepared once per connection (postgres-nio's
/// `PostgresPreparedStatement`): the server parses and plans each once, not once per request.
/// A handshake costs four round trips: `/auth` one (``InsertSession``), `/attest` one
/// (``CommitAttestation``, after the evidence verified), `/resource` two (``ReleaseMaterialQuery``,
/// ``AppendAudit``). A refused `/attest` consumes the nonce with ``ConsumeNonce`` instead.
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

    /// `/attest` once the evidence verified: the nonce consumed and the evidence recorded in one
    /// `UPDATE`, only while the session is issued, live, and the policy generation is still $4
    /// (the trust union the chain was checked under). A nonce other than $3 (the one the evidence
    /// binds) is consumed without the evidence. Concurrent callers on any replica block on the row
    /// lock and PostgreSQL re-checks `state = 'issued'` for each after the first commits, so at
    /// most one gets the row. Columns: the state written (NULL: nothing written), the live
    /// session's expiry and state as the statement began, the current generation. No row: no live session.
    struct CommitAttestation: PostgresPreparedStatement {
        static let sql = """
            WITH live AS (SELECT state, expires FROM sessions WHERE id = $1 AND expires > $2),
                 done AS (UPDATE sessions SET state = CASE WHEN nonce = $3 THEN 'attested' ELSE 'consumed' END,
                                              report = CASE WHEN nonce = $3 THEN $5 END, tee_pubkey = CASE WHEN nonce = $3 THEN $6 END,
                                              root = CASE WHEN nonce = $3 THEN $7 END, tpm_pcrs = CASE WHEN nonce = $3 THEN $8 END
                          WHERE id = $1 AND state = 'issued' AND expires > $2 AND (SELECT generation FROM policy_generation) = $4
                          RETURNING state)
            SELECT (SELECT state FROM done), live.expires, live.state, (SELECT generation FROM policy_generation) FROM live
            """
        typealias Row = (String?, Int64, String, Int64?)
        let id: String, now: Int64, nonce: String, generation: Int64, report: ByteBuffer, teePubkey: String, root: ByteBuffer, pcrs: String?
        func makeBindings() throws -> PostgresBindings {
            var values = PostgresBindings(capacity: 8)
            values.append(id)
            values.append(now)
            values.append(nonce)
            values.append(generation)
            values.append(report)
            values.append(teePubkey)
            values.append(root)
            values.append(pcrs)
            return values
        }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// An attested session back to consumed, its evidence dropped.
    struct WithdrawAttestation: PostgresPreparedStatement {
        static let sql = """
            UPDATE sessions SET state = 'consumed', report = NULL, tee_pubkey = NULL, root = NULL, tpm_pcrs = NULL WHERE id = $1 AND state = 'attested'
            """
        typealias Row = Void
        let id: String
        func makeBindings() throws -> PostgresBindings { try bindings(id) }
        func decodeRow(_ row: PostgresRow) throws {}
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
