/// How often and how patiently something is retried: `attempts` tries in all, sleeping
/// `initialDelay` after the first failure and doubling up to `maximumDelay`.
///
/// The one retry policy: boot unlock (``RetryPolicy/bootUnlock``, rounds before power-off), the
/// broker client (``RetryPolicy/brokerRounds``, rounds over the broker list with full jitter) and
/// the attestation providers (``RetryPolicy/attestation``, a busy interface) each keep a preset.
public struct RetryPolicy: Sendable, Hashable {
    /// Tries in all, the first included; at least 1.
    public var attempts: Int
    /// The sleep after the first failure.
    public var initialDelay: Duration
    /// The upper bound for any single sleep; at least `initialDelay`.
    public var maximumDelay: Duration

    /// Out-of-range values are clamped: `attempts` to ≥ 1, delays to ≥ 0, `maximumDelay` to ≥ `initialDelay`.
    public init(attempts: Int, initialDelay: Duration, maximumDelay: Duration) {
        self.attempts = max(1, attempts)
        self.initialDelay = max(.zero, initialDelay)
        self.maximumDelay = max(self.initialDelay, maximumDelay)
    }

    /// A single attempt, no sleep.
    public static let once = RetryPolicy(attempts: 1, initialDelay: .zero, maximumDelay: .zero)

    /// 5 attempts, sleeping 250 ms, 500 ms, 1 s, 2 s. The sev-guest driver already retries a
    /// throttling host every 2 s for 60 s inside one ioctl, so this only covers transient
    /// contention (`EBUSY`, `EAGAIN`) on top of that.
    public static let attestation = RetryPolicy(attempts: 5, initialDelay: .milliseconds(250), maximumDelay: .seconds(2))

    /// The sleep after failed attempt `attempt` (1-based): `initialDelay · 2^(attempt − 1)`,
    /// capped at `maximumDelay`; zero before the first attempt.
    public func delay(afterAttempt attempt: Int) -> Duration {
        guard attempt >= 1 else { return .zero }
        var delay = initialDelay
        for _ in 1..<attempt {
            guard delay < maximumDelay else { break }
            delay = delay > maximumDelay / 2 ? maximumDelay : delay * 2
        }
        return min(delay, maximumDelay)
    }

    /// Full jitter: `fraction` (clamped to 0…1) of ``delay(afterAttempt:)``, so retrying clients
    /// spread out instead of arriving together.
    public func jitteredDelay(afterAttempt attempt: Int, fraction: Double) -> Duration {
        delay(afterAttempt: attempt) * min(max(fraction, 0), 1)
    }

    /// The total sleep when every attempt fails (no sleep after the last one).
    public var worstCaseSleep: Duration {
        (1..<attempts).reduce(.zero) { $0 + delay(afterAttempt: $1) }
    }
}
