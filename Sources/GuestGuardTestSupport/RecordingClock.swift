import GuestGuardLinux
import GuestGuardPlatform
import Synchronization

/// The one `WallClock` test double. `now()` is set by the test (``advance(by:)``); `sleep(for:)`
/// records the requested duration and, by default, returns at once and moves `now()` on by it, so
/// backoff is observable and tests take no wall-clock time. With `sleepsForReal`, it sleeps (for
/// services whose loops must not spin) and `now()` stays where the test put it.
public final class RecordingClock: WallClock {
    struct State {
        var now: Timestamp
        var sleeps: [Duration] = []
    }
    let state: Mutex<State>
    let sleepsForReal: Bool

    public init(now: Timestamp = Timestamp(seconds: 1_700_000_000), sleepsForReal: Bool = false) {
        state = Mutex(State(now: now))
        self.sleepsForReal = sleepsForReal
    }

    /// Every `sleep(for:)` so far, in order.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    public func now() -> Timestamp { state.withLock { $0.now } }

    /// Moves `now()` on by `duration` (the broker's session expiry, rate-limit refills).
    public func advance(by duration: Duration) {
        state.withLock { $0.now = Self.adding(duration, to: $0.now) }
    }

    public func sleep(for duration: Duration) {
        state.withLock { state in
            state.sleeps.append(duration)
            if !sleepsForReal { state.now = Self.adding(duration, to: state.now) }
        }
        if sleepsForReal { SystemClock().sleep(for: duration) }
    }

    static func adding(_ duration: Duration, to time: Timestamp) -> Timestamp {
        let (seconds, attoseconds) = duration.components
        let total = Int64(time.nanoseconds) + attoseconds / 1_000_000_000
        return Timestamp(seconds: time.seconds + seconds + total / 1_000_000_000, nanoseconds: Int32(total % 1_000_000_000))
    }
}
