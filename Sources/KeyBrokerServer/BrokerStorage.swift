import GuestGuardPlatform

/// Where the broker keeps what outlives one request: resources (keys and policy texts with their
/// history), sessions and their single-use nonces, the `key-id` secret, and the audit trail.
///
/// Two implementations behind this one protocol:
/// - ``EmbeddedBrokerStorage`` (the default; needs nothing running): keys and policies in the data
///   directory (``BrokerStore``), sessions in this process (``BrokerSessionStore``). Several
///   replicas need cookie affinity.
/// - `PostgresBrokerStorage` (module KeyBrokerPostgres): everything in PostgreSQL, keys sealed
///   under a key-encryption key, so replicas are stateless and any step may land on any replica.
///
/// Every method may fail with ``BrokerStoreError/unavailable(_:)`` when the store does not answer:
/// the broker then answers 503 and releases nothing.
public protocol BrokerStorage: Sendable {
    // MARK: resources

    /// Stores `key` for `id`; refuses to overwrite unless `replace`.
    func storeKey(_ key: SecretBytes, for id: ResourceID, replace: Bool) async throws(BrokerStoreError)
    /// The key for `id`, in locked memory.
    func key(for id: ResourceID) async throws(BrokerStoreError) -> SecretBytes
    /// Validates `text` (``BrokerStore/validatePolicy(_:for:)``) and makes it `id`'s current policy;
    /// the previous text stays in the history.
    func storePolicy(_ text: String, for id: ResourceID) async throws(BrokerStoreError)
    /// The current policy text of `id`.
    func policyText(for id: ResourceID) async throws(BrokerStoreError) -> String
    /// Every policy `id` has had, oldest first (the embedded store keeps only the current one).
    func policyHistory(for id: ResourceID) async throws(BrokerStoreError) -> [PolicyRevision]
    /// Removes `id`'s key and policy.
    func delete(_ id: ResourceID) async throws(BrokerStoreError)
    /// Every resource with a key or a policy, sorted.
    func list() async throws(BrokerStoreError) -> [ResourceEntry]
    /// A token that changes whenever any policy is stored or a resource deleted.
    func policyGeneration() async throws(BrokerStoreError) -> String
    /// The broker's `key-id` secret (``KeyFingerprinter``), made on first use.
    func keyIDSecret(random: any RandomSource) async throws(BrokerStoreError) -> SecretBytes

    // MARK: sessions

    /// Adds a new challenged session unless `capacity` live sessions exist.
    func insertSession(_ session: BrokerSession, capacity: Int, now: Int64) async throws(BrokerStoreError) -> SessionAdmission
    /// The live session, or nil.
    func session(_ id: String, now: Int64) async throws(BrokerStoreError) -> BrokerSession?
    /// Consumes the nonce of a live challenged session, atomically: of any number of concurrent
    /// callers (on any replica) exactly one gets it; the session is then consumed.
    func takeNonce(_ id: String, now: Int64) async throws(BrokerStoreError) -> String?
    /// A refused `/attest`'s step, in one round trip where the store can: consumes the nonce of a
    /// live challenged session (atomically, as ``takeNonce(_:now:)``), telling an unknown session
    /// and a used nonce apart (the policy generation is read in the same statement where it is free).
    func consumeNonce(_ id: String, now: Int64) async throws(BrokerStoreError) -> NonceConsumption
    /// `/resource`'s reads in one round trip where the store can: the live session, the current
    /// policy text of `resource`, and (optionally) its key.
    func releaseMaterial(session id: String, resource: ResourceID, now: Int64) async throws(BrokerStoreError) -> ReleaseMaterial
    /// `/attest`'s one store step once the evidence verified, in one round trip where the store
    /// can: consumes the nonce of the live challenged session `attested.id` and records the
    /// evidence (`attested.state`, its PCRs) — only when the session's nonce is `nonce` (the one the
    /// evidence binds) and the policy generation is still `policyGeneration` (the trust union the
    /// chain was checked under). Atomically: of any number of concurrent callers (on any replica)
    /// at most one gets ``AttestationCommit/attested(expires:)``. A wrong nonce is consumed all
    /// the same (one attempt per nonce); a changed generation changes nothing.
    func commitAttestation(_ attested: BrokerSession, nonce: String, policyGeneration: String, now: Int64) async throws(BrokerStoreError) -> AttestationCommit
    /// Takes a session attested by ``commitAttestation(_:nonce:policyGeneration:now:)`` back to
    /// consumed, its evidence dropped (the attestation could not be audited).
    func withdrawAttestation(_ id: String) async throws(BrokerStoreError)
    /// Live sessions and sessions dropped on expiry, for `/metrics`.
    func sessionCounts(now: Int64) async throws(BrokerStoreError) -> (live: Int, expired: Int)

    // MARK: audit and health

    /// Appends an audit event to the store's own trail (PostgreSQL: an append-only table; the
    /// embedded store has none, its trail is the JSON lines).
    func appendAudit(_ event: AuditEvent) async throws(BrokerStoreError)
    /// Succeeds when the store answers (`/healthz`).
    func ping() async throws(BrokerStoreError)

    // MARK: KDS collateral cache (docs/broker-kds.md)

    /// The KDS document (VCEK, ASK/ARK chain, CRL) cached under `name` (`KDSDocument.cacheName`:
    /// product, hwid and TCB for a VCEK), or nil. The bytes are KDS's; they are checked when read.
    func kdsDocument(named name: String) async throws(BrokerStoreError) -> [UInt8]?
    /// Caches (or replaces) a checked KDS document under `name`.
    func storeKDSDocument(_ bytes: [UInt8], named name: String) async throws(BrokerStoreError)
}

/// What ``BrokerStorage/consumeNonce(_:now:)`` found.
public enum NonceConsumption: Sendable {
    /// No live session by that id.
    case unknownSession
    /// The session's nonce was consumed before (by this caller or another, on any replica).
    case alreadyUsed
    /// This caller holds the nonce; `session` is now consumed. `policyGeneration` is the store's
    /// ``BrokerStorage/policyGeneration()`` read in the same step, or nil when it was not.
    case taken(nonce: String, session: BrokerSession, policyGeneration: String?)
}

/// What ``BrokerStorage/commitAttestation(_:nonce:policyGeneration:now:)`` did.
public enum AttestationCommit: Sendable, Hashable {
    /// This caller consumed the nonce: the session is attested and expires at `expires`.
    case attested(expires: Int64)
    /// No live session by that id.
    case unknownSession
    /// The session's nonce was consumed before (by this caller or another, on any replica).
    case alreadyUsed
    /// The session's nonce is not the one the evidence binds (stale or replayed evidence): it is
    /// consumed now.
    case wrongNonce
    /// A policy changed since the trust union was computed: nothing changed; verify again under
    /// the union of generation `current`.
    case policyChanged(current: String)
}

/// What `/resource` needs from the store (``BrokerStorage/releaseMaterial(session:resource:now:)``).
/// Store errors other than ``BrokerStoreError/unavailable(_:)`` are per item: the handler refuses
/// with them; an unavailable store throws instead (503, nothing released).
public struct ReleaseMaterial: Sendable {
    /// The live session, or nil.
    public var session: BrokerSession?
    /// The resource's current policy text.
    public var policyText: Result<String, BrokerStoreError>
    /// The resource's key when the store read it in the same step; nil: ask ``BrokerStorage/key(for:)``
    /// once the policy has passed.
    public var key: Result<SecretBytes, BrokerStoreError>?

    public init(session: BrokerSession?, policyText: Result<String, BrokerStoreError>, key: Result<SecretBytes, BrokerStoreError>? = nil) {
        self.session = session
        self.policyText = policyText
        self.key = key
    }
}

extension BrokerStorage {
    /// Session, then nonce, then generation: three calls (the embedded store's are in memory).
    public func consumeNonce(_ id: String, now: Int64) async throws(BrokerStoreError) -> NonceConsumption {
        guard var session = try await session(id, now: now) else { return .unknownSession }
        let generation = try await policyGeneration()
        guard let nonce = try await takeNonce(id, now: now) else { return .alreadyUsed }
        session.state = .consumed
        return .taken(nonce: nonce, session: session, policyGeneration: generation)
    }

    /// The session and the policy text; the key is read only after the policy passed.
    public func releaseMaterial(session id: String, resource: ResourceID, now: Int64) async throws(BrokerStoreError) -> ReleaseMaterial {
        let session = try await session(id, now: now)
        let text: Result<String, BrokerStoreError>
        do { text = .success(try await policyText(for: resource)) } catch {
            if case .unavailable = error { throw error }
            text = .failure(error)
        }
        return ReleaseMaterial(session: session, policyText: text)
    }
}

/// What `insertSession` decided.
public enum SessionAdmission: Sendable, Hashable {
    case admitted
    /// `capacity` live sessions exist; the oldest expires in this many seconds (≥ 1).
    case full(retryAfterSeconds: Int)
}

/// One resource in a listing.
public struct ResourceEntry: Sendable, Hashable {
    public let id: ResourceID
    public let hasKey: Bool
    public let hasPolicy: Bool

    public init(id: ResourceID, hasKey: Bool, hasPolicy: Bool) {
        self.id = id
        self.hasKey = hasKey
        self.hasPolicy = hasPolicy
    }
}

/// One version of a resource's policy.
public struct PolicyRevision: Sendable, Hashable {
    public let version: Int
    /// The text, or nil for a deletion.
    public let text: String?
    /// When it was stored (seconds since the epoch), if the store knows.
    public let storedAt: Int64?

    public init(version: Int, text: String?, storedAt: Int64?) {
        self.version = version
        self.text = text
        self.storedAt = storedAt
    }
}
