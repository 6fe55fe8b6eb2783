import GuestGuardCore
import GuestGuardPlatform
import Testing

/// The one retry policy and its presets (boot unlock, attestation; the broker client's in
/// KeyBrokerClientTests).
@Suite struct RetryPolicyTests {
    @Test(arguments: [(0, 0), (1, 100), (2, 200), (3, 400), (4, 800), (5, 1_000), (9, 1_000)])
    func backoffDoublesUpToTheCap(attempt: Int, milliseconds: Int) {
        let policy = RetryPolicy(attempts: 10, initialDelay: .milliseconds(100), maximumDelay: .seconds(1))
        #expect(policy.delay(afterAttempt: attempt) == .milliseconds(milliseconds))
    }

    @Test func worstCaseSleepIsTheSumOfTheBackoffs() {
        #expect(RetryPolicy(attempts: 4, initialDelay: .milliseconds(500), maximumDelay: .milliseconds(1_500)).worstCaseSleep == .milliseconds(500 + 1_000 + 1_500))
        #expect(RetryPolicy(attempts: 1, initialDelay: .milliseconds(500), maximumDelay: .milliseconds(500)).worstCaseSleep == .zero)
        #expect(RetryPolicy.bootUnlock.worstCaseSleep == .seconds(1 + 2 + 4 + 8))
        #expect(RetryPolicy.once.worstCaseSleep == .zero && RetryPolicy.once.attempts == 1)
    }

    @Test func theAttestationPresetSleeps250msThenDoublesTo2s() {
        #expect((1...4).map(RetryPolicy.attestation.delay(afterAttempt:)) == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2)])
        #expect(RetryPolicy.attestation.attempts == 5)
    }

    @Test func hugeDelaysSaturateAtTheCapInsteadOfOverflowing() {
        let huge = RetryPolicy(attempts: 80, initialDelay: .seconds(Int64.max / 3), maximumDelay: .seconds(Int64.max / 2))
        #expect(huge.delay(afterAttempt: 79) == .seconds(Int64.max / 2))
    }

    @Test func jitterIsAFractionOfTheDelayClampedToIt() {
        let policy = RetryPolicy(attempts: 5, initialDelay: .milliseconds(500), maximumDelay: .seconds(8))
        #expect(policy.jitteredDelay(afterAttempt: 0, fraction: 1) == .zero, "no sleep before the first round")
        #expect(policy.jitteredDelay(afterAttempt: 2, fraction: 0.5) == .milliseconds(500))
        #expect(policy.jitteredDelay(afterAttempt: 2, fraction: 7) == .seconds(1))
        #expect(policy.jitteredDelay(afterAttempt: 2, fraction: -1) == .zero)
    }

    @Test func outOfRangeValuesAreClamped() {
        let policy = RetryPolicy(attempts: 0, initialDelay: .seconds(-1), maximumDelay: .seconds(-5))
        #expect(policy.attempts == 1 && policy.initialDelay == .zero && policy.maximumDelay == .zero)
        #expect(RetryPolicy(attempts: 3, initialDelay: .seconds(4), maximumDelay: .seconds(1)).maximumDelay == .seconds(4))
    }
}
