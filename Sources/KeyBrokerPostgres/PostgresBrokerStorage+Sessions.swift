import CanonicalJSON
import KeyBrokerProtocol
import KeyBrokerServer
import NIOCore
import PostgresNIO
import SNPABI

/// Sessions, nonces, the audit trail and health in PostgreSQL. No session is kept in the
/// replica: every step reads and writes the `sessions` row.
extension PostgresBrokerStorage {
    /// Admits a session while fewer than `capacity` live sessions exist (one statement; replicas
    /// racing at the cap may overshoot it by their number of concurrent `/auth`s).
    public func insertSession(_ session: BrokerSession, capacity: Int, now: Int64) async throws(BrokerStoreError) -> SessionAdmission {
        guard case .challenged(let nonce) = session.state else { throw .corrupt("a new session must be challenged") }
        try await sweepExpired(now: now)
        let inserted = try await rows("""
            INSERT INTO sessions (id, nonce, state, expires)
            SELECT \(session.id), \(nonce), 'issued', \(session.expires)
            WHERE (SELECT count(*) FROM sessions WHERE expires > \(now)) < \(capacity)
            RETURNING id
            """, as: String.self)
        if !inserted.isEmpty { return .admitted }
        let oldest = try await rows("SELECT min(expires) FROM sessions WHERE expires > \(now)", as: Int64?.self).first ?? nil
        return .full(retryAfterSeconds: Int(max(1, (oldest ?? now + 1) - now)))
    }

    /// Deletes expired sessions at most once a second per replica.
    func sweepExpired(now: Int64) async throws(BrokerStoreError) {
        let due = sweep.withLock { state in
            guard now > state.last else { return false }
            state.last = now
            return true
        }
        guard due else { return }
        let deleted = try await rows("DELETE FROM sessions WHERE expires <= \(now) RETURNING id", as: String.self)
        sweep.withLock { $0.expired += deleted.count }
    }

    public func session(_ id: String, now: Int64) async throws(BrokerStoreError) -> BrokerSession? {
        let found = try await rows("""
            SELECT nonce, state, expires, report, tee_pubkey, root, tpm_pcrs FROM sessions WHERE id = \(id) AND expires > \(now)
            """) { row in try row.decode((String, String, Int64, ByteBuffer?, String?, ByteBuffer?, String?).self) }
        guard let row = found.first else { return nil }
        let state: BrokerSession.State
        switch row.1 {
        case "issued": state = .challenged(nonce: row.0)
        case "consumed": state = .consumed
        case "attested":
            guard let reportBytes = row.3, let keyText = row.4, let root = row.5 else { throw .corrupt("session \(id) is attested without its evidence") }
            do {
                let report = try AttestationReport(bytes: Array(reportBytes.readableBytesView))
                let key = try JSONValueDecoder().decode(EphemeralPublicKey.self, from: JSONParser.parse(keyText))
                state = .attested(report: report, teePubkey: key, root: Array(root.readableBytesView))
            } catch {
                throw .corrupt("session \(id): stored evidence unreadable: \(error)")
            }
        default: throw .corrupt("session \(id) has unknown state \(row.1)")
        }
        return BrokerSession(id: id, expires: row.2, state: state, tpmPCRs: try row.6.map { text throws(BrokerStoreError) in try Self.pcrs(text, session: id) })
    }

    /// `UPDATE … SET state = 'consumed' WHERE id = $1 AND state = 'issued' AND expires > $now RETURNING nonce`:
    /// PostgreSQL row locking makes exactly one of any number of concurrent callers get the nonce.
    public func takeNonce(_ id: String, now: Int64) async throws(BrokerStoreError) -> String? {
        try await rows("""
            UPDATE sessions SET state = 'consumed' WHERE id = \(id) AND state = 'issued' AND expires > \(now) RETURNING nonce
            """, as: String.self).first
    }

    public func markAttested(_ session: BrokerSession) async throws(BrokerStoreError) {
        guard case .attested(let report, let key, let root) = session.state else { throw .corrupt("markAttested needs an attested session") }
        let keyText: String
        do { keyText = try key.jwk.canonicalText() } catch { throw .corrupt("tee-pubkey: \(error)") }
        let pcrs = session.tpmPCRs.map(Self.pcrText)
        let updated = try await rows("""
            UPDATE sessions SET state = 'attested', report = \(ByteBuffer(bytes: report.bytes)), tee_pubkey = \(keyText),
                   root = \(ByteBuffer(bytes: root)), tpm_pcrs = \(pcrs)
            WHERE id = \(session.id) AND state = 'consumed' RETURNING id
            """, as: String.self)
        guard !updated.isEmpty else { throw .corrupt("session \(session.id) is not waiting for its attestation") }
    }

    public func sessionCounts(now: Int64) async throws(BrokerStoreError) -> (live: Int, expired: Int) {
        let live = try await rows("SELECT count(*) FROM sessions WHERE expires > \(now)", as: Int.self).first ?? 0
        return (live, sweep.withLock { $0.expired })
    }

    public func appendAudit(_ event: AuditEvent) async throws(BrokerStoreError) {
        try await execute("INSERT INTO audit (decision, line) VALUES (\(event.decision.rawValue), \(event.line))")
    }

    public func ping() async throws(BrokerStoreError) {
        _ = try await rows("SELECT 1", as: Int.self)
    }

    /// Every audit line in the table, oldest first.
    public func auditLines() async throws(BrokerStoreError) -> [String] {
        try await rows("SELECT line FROM audit ORDER BY seq", as: String.self)
    }

    /// PCR values as `{"15": "hex", …}` (RFC 8785).
    static func pcrText(_ pcrs: [Int: [UInt8]]) -> String {
        var members: [String: JSONValue] = [:]
        for (index, value) in pcrs { members[String(index)] = .string(Hex.encode(value)) }
        return (try? JSONValue.object(members).canonicalText()) ?? "{}"
    }

    static func pcrs(_ text: String, session: String) throws(BrokerStoreError) -> [Int: [UInt8]] {
        guard case .object(let members)? = try? JSONParser.parse(text) else { throw .corrupt("session \(session): unreadable PCR values") }
        var pcrs: [Int: [UInt8]] = [:]
        for (key, value) in members {
            guard let index = Int(key), case .string(let hex) = value, let bytes = Hex.decode(hex) else { throw .corrupt("session \(session): unreadable PCR \(key)") }
            pcrs[index] = bytes
        }
        return pcrs
    }
}
