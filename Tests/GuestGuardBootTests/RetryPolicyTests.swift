import GuestGuardCore
import Testing

@Suite struct RetryPolicyTests {
    @Test(arguments: [(1, 100), (2, 200), (3, 400), (4, 800), (5, 1_000), (9, 1_000)])
    func backoffDoublesUpToTheCap(attempt: Int, expected: Int) {
        let policy = RetryPolicy(attempts: 10, initialBackoffMilliseconds: 100, maximumBackoffMilliseconds: 1_000)
        #expect(policy.backoffMilliseconds(afterAttempt: attempt) == expected)
    }

    @Test func worstCaseSleepIsTheSumOfTheBackoffs() {
        #expect(RetryPolicy(attempts: 4, initialBackoffMilliseconds: 500, maximumBackoffMilliseconds: 1_500).worstCaseSleepMilliseconds == 500 + 1_000 + 1_500)
        #expect(RetryPolicy(attempts: 1, initialBackoffMilliseconds: 500, maximumBackoffMilliseconds: 500).worstCaseSleepMilliseconds == 0)
        #expect(RetryPolicy.default.worstCaseSleepMilliseconds == 1_000 + 2_000 + 4_000 + 8_000)
    }
}
