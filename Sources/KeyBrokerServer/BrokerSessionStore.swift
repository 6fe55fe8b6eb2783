import Synchronization

/// In-memory sessions with expiry (default 5 minutes, as Trustee) and a hard cap, so a flood of
/// `/auth` calls cannot exhaust memory. Sessions are per broker replica: a load balancer in front
/// of several replicas needs cookie affinity on `kbs-session-id`; the replicas share only the key store.
public final class BrokerSessionStore: Sendable {
    public let lifetime: Int64
    public let capacity: Int
    private let sessions = Mutex<[String: BrokerSession]>([:])

    public init(lifetime: Int64 = 300, capacity: Int = 100_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Adds a challenged session; false when full even after dropping expired ones.
    public func insert(_ session: BrokerSession, now: Int64) -> Bool {
        sessions.withLock { table in
            if table.count >= capacity { table = table.filter { $0.value.expires > now } }
            guard table.count < capacity else { return false }
            table[session.id] = session
            return true
        }
    }

    /// The live session, or nil (expired ones are removed).
    public func session(_ id: String, now: Int64) -> BrokerSession? {
        sessions.withLock { table in
            guard let session = table[id] else { return nil }
            if session.expires <= now {
                table[id] = nil
                return nil
            }
            return session
        }
    }

    /// Takes the nonce of a challenged session, marking it consumed: a nonce is good for one
    /// attestation attempt, successful or not.
    public func takeNonce(_ id: String, now: Int64) -> String? {
        sessions.withLock { table in
            guard var session = table[id], session.expires > now, case .challenged(let nonce) = session.state else { return nil }
            session.state = .consumed
            table[id] = session
            return nonce
        }
    }

    public func update(_ session: BrokerSession) {
        sessions.withLock { $0[session.id] = session }
    }

    public var count: Int { sessions.withLock { $0.count } }
}
