import GuestGuardPlatform
import Synchronization

/// A `Clock` whose `sleep` returns at once and records the requested durations, advancing
/// `now()` by them: backoff is observable and tests take no wall-clock time.
public final class RecordingClock: Clock {
    struct State {
        var now: Timestamp
        var sleeps: [UInt64] = []
    }
    let state: Mutex<State>

    public init(now: Timestamp = Timestamp(seconds: 1_700_000_000)) {
        state = Mutex(State(now: now))
    }

    /// Every `sleep(nanoseconds:)` so far, in order.
    public var sleeps: [UInt64] { state.withLock { $0.sleeps } }

    public func now() -> Timestamp { state.withLock { $0.now } }

    /// Throws `CancellationError` when the task is cancelled, like `Task.sleep`.
    public func sleep(nanoseconds: UInt64) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(nanoseconds)
            let total = Int64(state.now.nanoseconds) + Int64(nanoseconds % 1_000_000_000)
            state.now = Timestamp(seconds: state.now.seconds + Int64(nanoseconds / 1_000_000_000) + total / 1_000_000_000,
                                  nanoseconds: Int32(total % 1_000_000_000))
        }
    }
}
