import Synchronization

/// One ``TokenBucket`` per client (``HTTPRemoteAddress/rateLimitKey``: an IPv4 address or an
/// IPv6 /64), so one noisy client exhausts its own bucket and nobody else's.
///
/// Memory is bounded: buckets live in two generations of at most `maxClients / 2` each. When
/// the current generation is full it becomes the previous one and the older is dropped whole;
/// a client found in the previous generation moves to the current one. Every operation is O(1)
/// amortised (no scan). A client forgotten this way had made no request while `maxClients / 2`
/// other clients arrived; it starts again with a full bucket, as a new client would.
public final class ClientRateLimiter: Sendable {
    public struct Settings: Sendable, Hashable {
        /// Requests a client may make at once.
        public var burst: Int
        /// Sustained requests per second per client.
        public var perSecond: Double
        /// Clients remembered at most (two generations of half this).
        public var maxClients: Int

        public init(burst: Int, perSecond: Double, maxClients: Int = 65_536) {
            precondition(burst >= 1 && perSecond > 0 && maxClients >= 2, "a rate limit needs burst ≥ 1, a positive rate and room for 2 clients")
            self.burst = burst
            self.perSecond = perSecond
            self.maxClients = maxClients
        }
    }

    private struct Generations {
        var current: [String: TokenBucket] = [:]
        var previous: [String: TokenBucket] = [:]
    }

    public let settings: Settings
    private let table = Mutex(Generations())

    public init(_ settings: Settings) {
        self.settings = settings
    }

    /// Takes a token from `client`'s bucket at `now` (a `Duration` since any fixed origin).
    public func take(_ client: String, at now: Duration) -> TokenBucket.Decision {
        let settings = self.settings
        return table.withLock { table in
            var bucket = table.current.removeValue(forKey: client) ?? table.previous.removeValue(forKey: client)
                ?? TokenBucket(capacity: settings.burst, refillPerSecond: settings.perSecond)
            let decision = bucket.take(at: now)
            if table.current.count >= settings.maxClients / 2 {
                table.previous = table.current
                table.current = [:]
            }
            table.current[client] = bucket
            return decision
        }
    }

    /// Clients currently remembered.
    public var count: Int { table.withLock { $0.current.count + $0.previous.count } }
}
