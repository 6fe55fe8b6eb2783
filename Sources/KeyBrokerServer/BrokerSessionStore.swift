import Synchronization

/// In-memory sessions with expiry (default 5 minutes, as Trustee) and a hard cap.
///
/// Sessions expire in time order: every session has the same lifetime, so insertion order is
/// expiry order and a FIFO queue of `(id, expires)` gives the next to expire in O(1). Each
/// operation first drops the expired sessions at the head of the queue (amortised O(1): every
/// session is queued and dequeued once), so the table never holds more than the live sessions
/// and nothing scans it. A wall clock stepped back only delays the removal of sessions created
/// after the step (each lookup still checks `expires`).
///
/// When the cap is reached, new sessions are refused (``Admission/full(retryAfterSeconds:)``,
/// the broker answers 429) instead of evicting live ones: a flood cannot push a guest's session out
/// between its `/auth` and its `/resource`. Per-client rate limits (``KeyBrokerService``) keep one
/// client from filling the table.
///
/// Sessions are per broker replica: a load balancer in front of several replicas needs cookie
/// affinity on `kbs-session-id`; the replicas share only the key store. (With the PostgreSQL
/// storage sessions live in the database instead and replicas are stateless.)
public final class BrokerSessionStore: Sendable {
    /// What `insert` decided.
    public typealias Admission = SessionAdmission

    private struct Table {
        var sessions: [String: BrokerSession] = [:]
        /// Insertion (= expiry) order; entries before `head` are done.
        var queue: [(id: String, expires: Int64)] = []
        var head = 0
        /// Sessions dropped because they expired.
        var expired = 0

        mutating func removeExpired(now: Int64) {
            while head < queue.count, queue[head].expires <= now {
                let entry = queue[head]
                head += 1
                if let session = sessions[entry.id], session.expires == entry.expires {
                    sessions[entry.id] = nil
                    expired += 1
                }
            }
            // Reclaim the consumed prefix once it is at least half the queue (amortised O(1)).
            if head >= 64, head * 2 >= queue.count {
                queue.removeFirst(head)
                head = 0
            }
        }
    }

    public let lifetime: Int64
    public let capacity: Int
    private let table = Mutex(Table())

    public init(lifetime: Int64 = 300, capacity: Int = 100_000) {
        precondition(lifetime > 0 && capacity > 0, "sessions need a positive lifetime and capacity")
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Adds a new session, unless `capacity` live sessions exist (or `limit`, when lower).
    public func insert(_ session: BrokerSession, now: Int64, limit: Int? = nil) -> Admission {
        let capacity = min(capacity, limit ?? capacity)
        return table.withLock { table in
            table.removeExpired(now: now)
            guard table.sessions.count < capacity else {
                let oldest = table.head < table.queue.count ? table.queue[table.head].expires : now + lifetime
                return .full(retryAfterSeconds: Int(max(1, oldest - now)))
            }
            table.sessions[session.id] = session
            table.queue.append((session.id, session.expires))
            return .admitted
        }
    }

    /// The live session, or nil.
    public func session(_ id: String, now: Int64) -> BrokerSession? {
        table.withLock { table in
            table.removeExpired(now: now)
            guard let session = table.sessions[id], session.expires > now else { return nil }
            return session
        }
    }

    /// Takes the nonce of a challenged session, marking it consumed: a nonce is good for one
    /// attestation attempt, successful or not.
    public func takeNonce(_ id: String, now: Int64) -> String? {
        table.withLock { table in
            table.removeExpired(now: now)
            guard var session = table.sessions[id], session.expires > now, case .challenged(let nonce) = session.state else { return nil }
            session.state = .consumed
            table.sessions[id] = session
            return nonce
        }
    }

    /// Attests the live challenged session `attested.id` (its state and PCRs), atomically, when its
    /// nonce is `nonce`; another nonce consumes it (``BrokerStorage/commitAttestation(_:nonce:policyGeneration:now:)``).
    public func commit(_ attested: BrokerSession, nonce: String, now: Int64) -> AttestationCommit {
        table.withLock { table in
            table.removeExpired(now: now)
            guard var session = table.sessions[attested.id], session.expires > now else { return .unknownSession }
            guard case .challenged(let stored) = session.state else { return .alreadyUsed }
            if stored == nonce {
                session.state = attested.state
                session.tpmPCRs = attested.tpmPCRs
            } else {
                session.state = .consumed
            }
            table.sessions[attested.id] = session
            return stored == nonce ? .attested(expires: session.expires) : .wrongNonce
        }
    }

    /// Replaces a live session's state (its expiry is kept: it stays where it is in the queue).
    public func update(_ session: BrokerSession) {
        table.withLock { table in
            guard let existing = table.sessions[session.id] else { return }
            var updated = session
            updated.expires = existing.expires
            table.sessions[session.id] = updated
        }
    }

    /// Live sessions (and any expired ones not yet reached by an operation).
    public var count: Int { table.withLock { $0.sessions.count } }

    /// Sessions dropped because they expired, since start.
    public var expiredCount: Int { table.withLock { $0.expired } }
}
