import Dispatch
import Synchronization

/// Runs `body` on Swift's cooperative pool and blocks the calling thread until it returns: how a test's
/// synchronous fake (a `KBSTransport` in front of the async broker service, a report provider) reaches async
/// code. The guest's code is synchronous (`guestguard-boot` links no Swift concurrency); the broker's is not.
/// Call it from a thread that is not the pool's only free one: tests that run several blocking clients at
/// once run each off the pool (GuestGuardHTTP's `runOffPool`).
public func awaitingFromSyncCode<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let result = Mutex<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        let value = await body()
        result.withLock { $0 = value }
        done.signal()
    }
    done.wait()
    return result.withLock { $0! }
}
