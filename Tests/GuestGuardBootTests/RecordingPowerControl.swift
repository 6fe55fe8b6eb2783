import GuestGuardPlatform
import Synchronization

/// Records power-off requests and returns (a real machine would be gone), optionally with an error.
final class RecordingPowerControl: PowerControl {
    private let count = Mutex(0)
    let failure: PlatformError?

    init(failure: PlatformError? = nil) { self.failure = failure }

    var powerOffs: Int { count.withLock { $0 } }

    func powerOff() -> PlatformError? {
        count.withLock { $0 += 1 }
        return failure
    }
}
