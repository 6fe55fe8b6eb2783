import GuestGuardPlatform

/// The default ``BrokerStorage``: keys and policies in the data directory (``BrokerStore``),
/// sessions in this process (``BrokerSessionStore``), the audit trail only as JSON lines. Needs
/// nothing running; replicas share the directory and need cookie affinity on `kbs-session-id`.
public struct EmbeddedBrokerStorage: BrokerStorage {
    public let files: BrokerStore
    public let sessions: BrokerSessionStore

    public init(files: BrokerStore, sessions: BrokerSessionStore = BrokerSessionStore()) {
        self.files = files
        self.sessions = sessions
    }

    public func storeKey(_ key: SecretBytes, for id: ResourceID, replace: Bool) throws(BrokerStoreError) {
        try files.storeKey(key, for: id, replace: replace)
    }

    public func key(for id: ResourceID) throws(BrokerStoreError) -> SecretBytes { try files.key(for: id) }

    public func storePolicy(_ text: String, for id: ResourceID) throws(BrokerStoreError) { try files.storePolicy(text, for: id) }

    public func policyText(for id: ResourceID) throws(BrokerStoreError) -> String { try files.policyText(for: id) }

    public func policyHistory(for id: ResourceID) throws(BrokerStoreError) -> [PolicyRevision] {
        [PolicyRevision(version: 1, text: try files.policyText(for: id), storedAt: nil)]
    }

    public func delete(_ id: ResourceID) throws(BrokerStoreError) { try files.delete(id) }

    public func list() throws(BrokerStoreError) -> [ResourceEntry] {
        try files.list().map { ResourceEntry(id: $0.id, hasKey: $0.hasKey, hasPolicy: $0.hasPolicy) }
    }

    public func policyGeneration() throws(BrokerStoreError) -> String { try files.policyGeneration() }

    public func keyIDSecret(random: any RandomSource) throws(BrokerStoreError) -> SecretBytes {
        try KeyFingerprinter.loadOrCreateSecret(store: files, random: random)
    }

    public func insertSession(_ session: BrokerSession, capacity: Int, now: Int64) -> SessionAdmission {
        sessions.insert(session, now: now, limit: capacity)
    }

    public func session(_ id: String, now: Int64) -> BrokerSession? { sessions.session(id, now: now) }

    public func takeNonce(_ id: String, now: Int64) -> String? { sessions.takeNonce(id, now: now) }

    /// The generation (a file read), then the session table's atomic ``BrokerSessionStore/commit(_:nonce:now:)``.
    public func commitAttestation(_ attested: BrokerSession, nonce: String, policyGeneration: String, now: Int64) throws(BrokerStoreError) -> AttestationCommit {
        let current = try files.policyGeneration()
        guard current == policyGeneration else { return .policyChanged(current: current) }
        return sessions.commit(attested, nonce: nonce, now: now)
    }

    public func withdrawAttestation(_ id: String) { sessions.update(BrokerSession(id: id, expires: 0, state: .consumed)) }

    public func sessionCounts(now: Int64) -> (live: Int, expired: Int) { (sessions.count, sessions.expiredCount) }

    public func appendAudit(_ event: AuditEvent) {}

    public func ping() {}
}
