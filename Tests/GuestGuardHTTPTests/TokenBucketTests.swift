import GuestGuardHTTP
import Testing

@Suite struct TokenBucketTests {
    @Test func burstThenLimitedWithRetryAfter() {
        var bucket = TokenBucket(capacity: 3, refillPerSecond: 0.5)
        for _ in 0..<3 { #expect(bucket.take(at: .seconds(10)) == .allowed) }
        #expect(bucket.take(at: .seconds(10)) == .limited(retryAfterSeconds: 2))
        #expect(bucket.take(at: .milliseconds(11_000)) == .limited(retryAfterSeconds: 1))
        #expect(bucket.take(at: .seconds(12)) == .allowed)
        #expect(bucket.take(at: .seconds(12)) == .limited(retryAfterSeconds: 2))
    }

    @Test func refillIsCappedAtCapacity() {
        var bucket = TokenBucket(capacity: 2, refillPerSecond: 100)
        #expect(bucket.take(at: .seconds(0)) == .allowed)
        var allowed = 0
        for _ in 0..<10 where bucket.take(at: .seconds(3600)) == .allowed { allowed += 1 }
        #expect(allowed == 2)
    }

    @Test func timeGoingBackwardsAddsNoTokens() {
        var bucket = TokenBucket(capacity: 1, refillPerSecond: 1)
        #expect(bucket.take(at: .seconds(100)) == .allowed)
        #expect(bucket.take(at: .seconds(50)) != .allowed)
        #expect(bucket.take(at: .seconds(100)) != .allowed)
        #expect(bucket.take(at: .seconds(101)) == .allowed)
    }
}
