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
    /// Records the verified evidence of a session whose nonce was consumed (its expiry is kept).
    func markAttested(_ session: BrokerSession) async throws(BrokerStoreError)
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
