#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CGuestGuardLinux
import GuestGuardPlatform

/// `CLOCK_REALTIME`, and `nanosleep` for the rest of the interval when a signal interrupts it. The corresponding C
/// functions are `clock_gettime` and `nanosleep`.
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(seconds: Int64(spec.tv_sec), nanoseconds: Int32(spec.tv_nsec))
    }

    public func sleep(for duration: Duration) {
        let nanoseconds = duration.totalNanoseconds
        guard nanoseconds > 0 else { return }
        var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }
}

/// `getrandom(2)` with no flags (blocks until the pool is initialised, as early boot requires).
/// The corresponding C function is `getrandom`.
public struct GetrandomSource: RandomSource {
    public init() {}

    public func bytes(_ count: Int) throws(PlatformError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let (got, code) = retryingOnInterrupt {
                output.withUnsafeMutableBytes { guestguard_getrandom($0.baseAddress! + filled, count - filled, 0) }
            }
            if got < 0 { throw PlatformError(operation: "getrandom", errno: code) }
            filled += got
        }
        return output
    }
}
