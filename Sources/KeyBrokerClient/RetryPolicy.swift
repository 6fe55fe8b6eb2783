/// Exponential backoff with full jitter between rounds over the broker list.
public struct RetryPolicy: Sendable, Hashable {
    /// Rounds over all brokers (≥ 1).
    public var attempts: Int
    /// Delay before the second round, in milliseconds; doubles each round.
    public var initialDelayMilliseconds: UInt64
    public var maximumDelayMilliseconds: UInt64

    public init(attempts: Int = 5, initialDelayMilliseconds: UInt64 = 500, maximumDelayMilliseconds: UInt64 = 8_000) {
        self.attempts = max(1, attempts)
        self.initialDelayMilliseconds = initialDelayMilliseconds
        self.maximumDelayMilliseconds = maximumDelayMilliseconds
    }

    /// The delay before round `round` (0-based; 0 for the first), given a random fraction in 0…1.
    public func delayMilliseconds(beforeRound round: Int, jitter: Double) -> UInt64 {
        guard round > 0 else { return 0 }
        let exponent = min(round - 1, 20)
        let ceiling = min(maximumDelayMilliseconds, initialDelayMilliseconds << UInt64(exponent))
        return UInt64(Double(ceiling) * min(max(jitter, 0), 1))
    }
}
