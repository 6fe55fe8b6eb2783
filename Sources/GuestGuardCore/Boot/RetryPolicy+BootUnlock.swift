import GuestGuardPlatform

extension RetryPolicy {
    /// Boot unlock's default: 5 attempts, sleeping 1 s, 2 s, 4 s, 8 s; ``RetryPolicy/worstCaseSleep``
    /// bounds the time before the machine powers off.
    public static let bootUnlock = RetryPolicy(attempts: 5, initialDelay: .seconds(1), maximumDelay: .seconds(8))

    /// What `[retries]` in the boot configuration may say.
    public static let bootAttemptsRange = 1...100
    public static let bootBackoffMillisecondsRange = 0...600_000
}
