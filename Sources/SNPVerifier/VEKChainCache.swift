import Synchronization

/// Verified chains by VEK fingerprint (SHA-256 of the DER), so reports from a chip already seen
/// skip the RSA work. Thread-safe; first-in-first-out eviction at `capacity`.
final class VEKChainCache: Sendable {
    private struct State {
        var chains: [[UInt8]: VerifiedChain] = [:]
        var insertionOrder: [[UInt8]] = []
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        precondition(capacity > 0, "cache capacity must be positive")
        self.capacity = capacity
    }

    /// The cached chain for `fingerprint`, if any.
    func chain(for fingerprint: [UInt8]) -> VerifiedChain? {
        state.withLock { $0.chains[fingerprint] }
    }

    /// Caches `chain` (replacing an older entry for the same fingerprint).
    func insert(_ chain: VerifiedChain, for fingerprint: [UInt8]) {
        state.withLock { state in
            if state.chains.updateValue(chain, forKey: fingerprint) == nil {
                state.insertionOrder.append(fingerprint)
            }
            while state.insertionOrder.count > capacity {
                state.chains[state.insertionOrder.removeFirst()] = nil
            }
        }
    }

    var count: Int { state.withLock { $0.chains.count } }
}
