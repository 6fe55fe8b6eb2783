/// How often and how patiently a provider retries a busy interface (`EBUSY` / `EAGAIN`):
/// exponential backoff, doubling from `initialDelayNanoseconds` up to `maximumDelayNanoseconds`,
/// for at most `maximumAttempts` attempts in total.
public struct AttestationRetryPolicy: Sendable, Hashable {
    /// Attempts including the first; at least 1.
    public var maximumAttempts: Int
    /// Sleep before the second attempt.
    public var initialDelayNanoseconds: UInt64
    /// Upper bound for any single sleep.
    public var maximumDelayNanoseconds: UInt64

    public init(maximumAttempts: Int, initialDelayNanoseconds: UInt64, maximumDelayNanoseconds: UInt64) {
        precondition(maximumAttempts >= 1, "maximumAttempts must be at least 1")
        self.maximumAttempts = maximumAttempts
        self.initialDelayNanoseconds = initialDelayNanoseconds
        self.maximumDelayNanoseconds = max(initialDelayNanoseconds, maximumDelayNanoseconds)
    }

    /// 5 attempts, sleeping 250 ms, 500 ms, 1 s, 2 s. The sev-guest driver already retries a
    /// throttling host every 2 s for 60 s inside one ioctl, so this only covers transient
    /// contention on top of that.
    public static let standard = AttestationRetryPolicy(
        maximumAttempts: 5, initialDelayNanoseconds: 250_000_000, maximumDelayNanoseconds: 2_000_000_000)

    /// A single attempt, no retries.
    public static let once = AttestationRetryPolicy(maximumAttempts: 1, initialDelayNanoseconds: 0, maximumDelayNanoseconds: 0)

    /// The sleep before attempt number `attempt` (2, 3, …): `initial · 2^(attempt − 2)`, capped.
    public func delay(beforeAttempt attempt: Int) -> UInt64 {
        guard attempt >= 2 else { return 0 }
        var delay = initialDelayNanoseconds
        for _ in 2..<attempt {
            guard delay < maximumDelayNanoseconds else { break }
            delay = delay > maximumDelayNanoseconds / 2 ? maximumDelayNanoseconds : delay * 2
        }
        return min(delay, maximumDelayNanoseconds)
    }
}
