/// How often and how patiently boot unlock tries: `attempts` tries in all, sleeping
/// `initialBackoffMilliseconds` after the first failure and doubling up to `maximumBackoffMilliseconds`.
///
/// The whole budget is bounded: ``worstCaseSleepMilliseconds`` is the most time spent sleeping
/// before the machine powers off.
public struct RetryPolicy: Sendable, Hashable {
    public static let attemptsRange = 1...100
    public static let backoffRange = 0...600_000

    public let attempts: Int
    public let initialBackoffMilliseconds: Int
    public let maximumBackoffMilliseconds: Int

    public static let `default` = RetryPolicy(attempts: 5, initialBackoffMilliseconds: 1_000, maximumBackoffMilliseconds: 8_000)

    public init(attempts: Int, initialBackoffMilliseconds: Int, maximumBackoffMilliseconds: Int) {
        precondition(Self.attemptsRange.contains(attempts) && Self.backoffRange.contains(initialBackoffMilliseconds)
                     && Self.backoffRange.contains(maximumBackoffMilliseconds), "RetryPolicy out of range")
        self.attempts = attempts
        self.initialBackoffMilliseconds = initialBackoffMilliseconds
        self.maximumBackoffMilliseconds = max(initialBackoffMilliseconds, maximumBackoffMilliseconds)
    }

    /// The sleep after failed attempt `attempt` (1-based): initial × 2^(attempt−1), capped.
    public func backoffMilliseconds(afterAttempt attempt: Int) -> Int {
        var delay = initialBackoffMilliseconds
        for _ in 1..<max(attempt, 1) {
            delay = min(delay * 2, maximumBackoffMilliseconds)
            if delay == maximumBackoffMilliseconds { break }
        }
        return min(delay, maximumBackoffMilliseconds)
    }

    /// The total sleep when every attempt fails (no sleep after the last one).
    public var worstCaseSleepMilliseconds: Int {
        (1..<attempts).reduce(0) { $0 + backoffMilliseconds(afterAttempt: $1) }
    }
}
