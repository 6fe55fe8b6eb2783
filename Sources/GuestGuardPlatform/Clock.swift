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

/// Wall-clock time and sleeping, injected so tests control both.
public protocol Clock: Sendable {
    func now() -> Timestamp
    /// Sleeps for the given number of nanoseconds (cancellable).
    func sleep(nanoseconds: UInt64) async throws
}

/// Cryptographically secure random bytes (`getrandom(2)` on Linux).
public protocol RandomSource: Sendable {
    func bytes(_ count: Int) throws(PlatformError) -> [UInt8]
}
