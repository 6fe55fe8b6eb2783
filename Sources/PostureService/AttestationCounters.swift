import Synchronization

/// Attestation outcomes since start, for `/metrics`.
final class AttestationCounters: Sendable {
    struct Values: Sendable, Hashable {
        var issued = 0
        var rateLimited = 0
        var rejected = 0
        var failed = 0
        /// Unix seconds of the last issued report, 0 when none.
        var lastIssuedSeconds: Int64 = 0
    }

    private let state = Mutex(Values())
    var values: Values { state.withLock { $0 } }
    func update(_ change: (inout Values) -> Void) { state.withLock { change(&$0) } }
}
