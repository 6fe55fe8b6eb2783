import CanonicalJSON
import KeyBrokerProtocol
import KeyBrokerServer
import NIOCore
import PostgresNIO
import SNPABI

/// Sessions, nonces, the audit trail and health in PostgreSQL. No session is kept in the
/// replica: every step reads and writes the `sessions` row.
extension PostgresBrokerStorage {
    /// Admits a session while fewer than `capacity` live sessions exist, without counting rows per
    /// request: the replica counts live sessions when it sweeps expired ones (at most once a
    /// second, ``PostgresStatements/SweepSessions``) and adds its own admissions since. Exact
    /// within one replica; replicas racing at the cap may overshoot it by what the others admitted
    /// since this one last swept (at most a second's worth).
    public func insertSession(_ session: BrokerSession, capacity: Int, now: Int64) async throws(BrokerStoreError) -> SessionAdmission {
        guard case .challenged(let nonce) = session.state else { throw .corrupt("a new session must be challenged") }
        try await sweepExpired(now: now)
        let admitted = sweep.withLock { (state) -> SessionAdmission in
            guard state.live < capacity else { return .full(retryAfterSeconds: Int(max(1, (state.oldest ?? now + 1) - now))) }
            state.live += 1
            state.oldest = min(state.oldest ?? session.expires, session.expires)
            return .admitted
        }
        guard case .admitted = admitted else { return admitted }
        do {
            try await run(PostgresStatements.InsertSession(id: session.id, nonce: nonce, expires: session.expires))
        } catch {
            sweep.withLock { $0.live -= 1 }
            throw error
        }
        return .admitted
    }

    /// Deletes expired sessions and recounts the live ones, at most once a second per replica.
    func sweepExpired(now: Int64) async throws(BrokerStoreError) {
        let due = sweep.withLock { state in
            guard now > state.last else { return false }
            state.last = now
            return true
        }
        guard due else { return }
        guard let (gone, live, oldest) = try await run(PostgresStatements.SweepSessions(now: now)).first else { return }
        sweep.withLock { state in
            state.expired += Int(gone)
            state.live = Int(live)
            state.oldest = oldest
        }
    }

    public func session(_ id: String, now: Int64) async throws(BrokerStoreError) -> BrokerSession? {
        let found = try await rows("""
            SELECT nonce, state, expires, report, tee_pubkey, root, tpm_pcrs FROM sessions WHERE id = \(id) AND expires > \(now)
            """) { row in
            let columns = try row.decode((String, String, Int64, ByteBuffer?, String?, ByteBuffer?, String?).self)
            return PostgresStatements.SessionColumns(nonce: columns.0, state: columns.1, expires: columns.2, report: columns.3, teePubkey: columns.4,
                                                     root: columns.5, pcrs: columns.6)
        }
        return try found.first.map { (columns) throws(BrokerStoreError) in try Self.session(id, columns) }
    }

    /// A `sessions` row as a ``BrokerSession``.
    static func session(_ id: String, _ row: PostgresStatements.SessionColumns) throws(BrokerStoreError) -> BrokerSession {
        let state: BrokerSession.State
        switch row.state {
        case "issued": state = .challenged(nonce: row.nonce)
        case "consumed": state = .consumed
        case "attested":
            guard let reportBytes = row.report, let keyText = row.teePubkey, let root = row.root else { throw .corrupt("session \(id) is attested without its evidence") }
            do {
                let report = try AttestationReport(bytes: Array(reportBytes.readableBytesView))
                let key = try JSONValueDecoder().decode(EphemeralPublicKey.self, from: JSONParser.parse(keyText))
                state = .attested(report: report, teePubkey: key, root: Array(root.readableBytesView))
            } catch {
                throw .corrupt("session \(id): stored evidence unreadable: \(error)")
            }
        default: throw .corrupt("session \(id) has unknown state \(row.state)")
        }
        return BrokerSession(id: id, expires: row.expires, state: state, tpmPCRs: try row.pcrs.map { text throws(BrokerStoreError) in try Self.pcrs(text, session: id) })
    }

    /// One statement (``PostgresStatements/ConsumeNonce``): the nonce and the policy generation.
    public func consumeNonce(_ id: String, now: Int64) async throws(BrokerStoreError) -> NonceConsumption {
        guard let (nonce, expires, generation) = try await run(PostgresStatements.ConsumeNonce(id: id, now: now)).first else { return .unknownSession }
        guard let nonce else { return .alreadyUsed }
        return .taken(nonce: nonce, session: BrokerSession(id: id, expires: expires, state: .consumed), policyGeneration: generation.map { String($0) })
    }

    /// One statement (``PostgresStatements/ReleaseMaterialQuery``): the session, the policy text,
    /// and the key, opened only for an attested session.
    public func releaseMaterial(session id: String, resource: ResourceID, now: Int64) async throws(BrokerStoreError) -> ReleaseMaterial {
        guard let (columns, text, sealed) = try await run(PostgresStatements.ReleaseMaterialQuery(id: id, resource: resource.description, now: now)).first
        else { throw .corrupt("the release query returned no row") }
        let session = try columns.map { (columns) throws(BrokerStoreError) in try Self.session(id, columns) }
        var material = ReleaseMaterial(session: session, policyText: text.map { .success($0) } ?? .failure(.noPolicy(resource)))
        if case .attested = session?.state {
            if let sealed {
                do { material.key = .success(try kek.open(Array(sealed.readableBytesView), context: Self.keyContext(resource))) } catch {
                    material.key = .failure(error)
                }
            } else {
                material.key = .failure(.noSuchResource(resource))
            }
        }
        return material
    }

    /// `UPDATE … SET state = 'consumed' WHERE id = $1 AND state = 'issued' AND expires > $now RETURNING nonce`:
    /// PostgreSQL row locking makes exactly one of any number of concurrent callers get the nonce.
    public func takeNonce(_ id: String, now: Int64) async throws(BrokerStoreError) -> String? {
        try await rows("""
            UPDATE sessions SET state = 'consumed' WHERE id = \(id) AND state = 'issued' AND expires > \(now) RETURNING nonce
            """, as: String.self).first
    }

    /// One statement (``PostgresStatements/CommitAttestation``).
    public func commitAttestation(_ attested: BrokerSession, nonce: String, policyGeneration: String, now: Int64) async throws(BrokerStoreError)
        -> AttestationCommit
    {
        guard case .attested(let report, let key, let root) = attested.state else { throw .corrupt("commitAttestation needs an attested session") }
        let keyText: String
        do { keyText = try key.jwk.canonicalText() } catch { throw .corrupt("tee-pubkey: \(error)") }
        // A generation this store never writes (not a number) cannot match: the caller re-reads it.
        let statement = PostgresStatements.CommitAttestation(id: attested.id, now: now, nonce: nonce, generation: Int64(policyGeneration) ?? -1,
                                                             report: ByteBuffer(bytes: report.bytes), teePubkey: keyText, root: ByteBuffer(bytes: root),
                                                             pcrs: attested.tpmPCRs.map(Self.pcrText))
        guard let (written, expires, state, generation) = try await run(statement).first else { return .unknownSession }
        switch written {
        case "attested": return .attested(expires: expires)
        case "consumed": return .wrongNonce
        default:
            let current = generation.map { String($0) } ?? "0"
            if state == "issued" && current != policyGeneration { return .policyChanged(current: current) }
            return .alreadyUsed
        }
    }

    public func withdrawAttestation(_ id: String) async throws(BrokerStoreError) {
        _ = try await run(PostgresStatements.WithdrawAttestation(id: id))
    }

    public func sessionCounts(now: Int64) async throws(BrokerStoreError) -> (live: Int, expired: Int) {
        let live = try await rows("SELECT count(*) FROM sessions WHERE expires > \(now)", as: Int.self).first ?? 0
        return (live, sweep.withLock { $0.expired })
    }

    public func appendAudit(_ event: AuditEvent) async throws(BrokerStoreError) {
        try await run(PostgresStatements.AppendAudit(decision: event.decision.rawValue, line: event.line))
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
