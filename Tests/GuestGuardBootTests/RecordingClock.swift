import GuestGuardPlatform
import Synchronization

/// A clock that never sleeps: it records each requested sleep (nanoseconds) and advances its time.
final class RecordingClock: Clock {
    private let state = Mutex<(now: Int64, sleeps: [UInt64])>((1_700_000_000_000_000_000, []))

    var sleeps: [UInt64] { state.withLock { $0.sleeps } }

    func now() -> Timestamp {
        let nanoseconds = state.withLock { $0.now }
        return Timestamp(seconds: nanoseconds / 1_000_000_000, nanoseconds: Int32(nanoseconds % 1_000_000_000))
    }

    func sleep(nanoseconds: UInt64) async throws {
        state.withLock {
            $0.sleeps.append(nanoseconds)
            $0.now += Int64(nanoseconds)
        }
    }
}
