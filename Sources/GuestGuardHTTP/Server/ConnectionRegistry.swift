import NIOCore
import Synchronization

/// The server's open connections: admits new ones up to the limit, and during shutdown lets
/// the server wait until the last one has closed.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var quiescing = false
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    let maxConnections: Int

    init(maxConnections: Int) { self.maxConnections = maxConnections }

    /// Registers `channel` unless the server is at its limit or shutting down.
    func admit(_ channel: any Channel) -> Bool {
        let admitted = state.withLock { state -> Bool in
            guard !state.quiescing, state.channels.count < maxConnections else { return false }
            state.channels[ObjectIdentifier(channel)] = channel
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { _ in self.remove(channel) }
        }
        return admitted
    }

    var count: Int { state.withLock { $0.channels.count } }

    private func remove(_ channel: any Channel) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.channels[ObjectIdentifier(channel)] = nil
            guard state.quiescing, state.channels.isEmpty else { return [] }
            defer { state.drainWaiters.removeAll() }
            return state.drainWaiters
        }
        waiters.forEach { $0.resume() }
    }

    /// Stops admitting and returns the connections open now.
    func beginQuiescing() -> [any Channel] {
        state.withLock { state in
            state.quiescing = true
            return Array(state.channels.values)
        }
    }

    /// Returns once quiescing has begun and no connection is left.
    func waitUntilDrained() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.quiescing, state.channels.isEmpty { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
