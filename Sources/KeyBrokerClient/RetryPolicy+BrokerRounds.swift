import GuestGuardPlatform

extension RetryPolicy {
    /// The broker client's default: 5 rounds over the broker list, sleeping up to 500 ms before
    /// the second and doubling up to 8 s, each sleep with full jitter.
    public static let brokerRounds = RetryPolicy(attempts: 5, initialDelay: .milliseconds(500), maximumDelay: .seconds(8))

    /// `brokerRounds` with `attempts` rounds.
    public static func brokerRounds(attempts: Int) -> RetryPolicy {
        var policy = brokerRounds
        policy.attempts = max(1, attempts)
        return policy
    }
}
