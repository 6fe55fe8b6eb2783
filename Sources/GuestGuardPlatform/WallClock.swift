/// A point in time: seconds and nanoseconds since the Unix epoch (UTC).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let seconds: Int64
    public let nanoseconds: Int32
    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }
    public var description: String { RFC3339.format(self) }
}

/// Wall-clock time and sleeping, injected so tests control both. Not the standard library's
/// `Clock` (monotonic instants): `now()` is UTC time of day, for certificates, sessions and logs.
public protocol WallClock: Sendable {
    func now() -> Timestamp
    /// Blocks the calling thread for `duration` (retry backoff). Synchronous: `guestguard-boot` links no Swift
    /// concurrency. A service on Swift's cooperative pool does not sleep here (it would hold a pool thread).
    func sleep(for duration: Duration)
}

/// Cryptographically secure random bytes (`getrandom(2)` on Linux).
public protocol RandomSource: Sendable {
    func bytes(_ count: Int) throws(PlatformError) -> [UInt8]
}
