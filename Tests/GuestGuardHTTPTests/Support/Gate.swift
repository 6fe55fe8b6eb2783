import Synchronization

/// A one-shot gate: tasks `wait()` until someone calls `open()`.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    private let arrivals = Mutex(0)

    func wait() async {
        arrivals.withLock { $0 += 1 }
        await withCheckedContinuation { continuation in
            let proceed = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if proceed { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    /// How many tasks have reached `wait()`.
    var arrivalCount: Int { arrivals.withLock { $0 } }
}
