#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A point in monotonic time (`CLOCK_MONOTONIC`): deadlines and durations the host cannot move by setting the
/// guest's wall clock. What `ContinuousClock.Instant` is, without the module that defines it: `Clock` and
/// `ContinuousClock` live in `_Concurrency`, and one use of them links Swift's task runtime and libdispatch into
/// `guestguard-boot` (README, "Binary size"). The corresponding C function is `clock_gettime`.
public struct MonotonicInstant: Sendable, Hashable, Comparable {
    /// Nanoseconds since an unspecified start (boot).
    let nanoseconds: Int64

    public static var now: MonotonicInstant {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return MonotonicInstant(nanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// `self` moved on by `duration` (saturating).
    public func advanced(by duration: Duration) -> MonotonicInstant {
        let (sum, overflow) = nanoseconds.addingReportingOverflow(duration.totalNanoseconds)
        return MonotonicInstant(nanoseconds: overflow ? (duration < .zero ? .min : .max) : sum)
    }

    /// The time from `self` to `other` (negative when `other` is earlier).
    public func duration(to other: MonotonicInstant) -> Duration { .nanoseconds(other.nanoseconds - nanoseconds) }

    public static func + (lhs: Self, rhs: Duration) -> Self { lhs.advanced(by: rhs) }
    public static func - (lhs: Self, rhs: Self) -> Duration { rhs.duration(to: lhs) }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at `Int64`'s range (about 292 years).
    public var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflowSum) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflowSum ? (seconds < 0 ? .min : .max) : sum
    }
}
