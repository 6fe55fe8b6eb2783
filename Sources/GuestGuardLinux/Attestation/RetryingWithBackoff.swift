import GuestGuardPlatform

/// Runs `body` until it succeeds, fails with an error `isRetryable` rejects, or
/// `policy.attempts` attempts have failed; sleeps on `clock` between attempts
/// (exponential backoff from `RetryPolicy`). The shared retry loop of the attestation
/// providers, so a fake clock drives it in tests.
func retryingWithBackoff<T>(
    policy: RetryPolicy,
    clock: any WallClock,
    interface: AttestationInterface,
    isRetryable: (AttestationFetchError) -> Bool,
    _ body: () throws(AttestationFetchError) -> T
) throws(AttestationFetchError) -> T {
    var attempt = 1
    while true {
        do {
            return try body()
        } catch {
            guard isRetryable(error) else { throw error }
            guard attempt < policy.attempts else {
                throw .retriesExhausted(interface, attempts: attempt, last: error)
            }
            clock.sleep(for: policy.delay(afterAttempt: attempt))
            attempt += 1
        }
    }
}

/// EBUSY and EAGAIN: the interface is momentarily busy, the request may be repeated.
func isBusyErrno(_ code: Int32) -> Bool { code == ErrnoName.EBUSY || code == ErrnoName.EAGAIN }
