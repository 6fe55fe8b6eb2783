/// A token bucket: holds at most `capacity` tokens, refilled at `refillPerSecond`; each request
/// takes one. Time is passed in (a `Duration` since any fixed origin), so it is pure. Used for
/// `/v1/attestation` in `guestguard serve` and, one per client, by ``ClientRateLimiter``.
public struct TokenBucket: Sendable, Hashable {
    /// What `take(at:)` decided.
    public enum Decision: Sendable, Hashable {
        case allowed
        /// No token: retry after this many whole seconds (at least 1), the `Retry-After` value.
        case limited(retryAfterSeconds: Int)
    }

    public let capacity: Double
    public let refillPerSecond: Double
    private var tokens: Double
    private var last: Duration?

    /// Starts full.
    public init(capacity: Int, refillPerSecond: Double) {
        precondition(capacity >= 1 && refillPerSecond > 0, "a token bucket needs capacity ≥ 1 and a positive refill rate")
        self.capacity = Double(capacity)
        self.refillPerSecond = refillPerSecond
        tokens = Double(capacity)
    }

    /// Takes one token at time `now` if there is one. Time going backwards adds nothing.
    public mutating func take(at now: Duration) -> Decision {
        if let last, now > last {
            let elapsed = Double((now - last).components.seconds) + Double((now - last).components.attoseconds) / 1e18
            tokens = min(capacity, tokens + elapsed * refillPerSecond)
        }
        if last == nil || now > last! { last = now }
        if tokens >= 1 {
            tokens -= 1
            return .allowed
        }
        let wait = (1 - tokens) / refillPerSecond
        return .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
    }
}
