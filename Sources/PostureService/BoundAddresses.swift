import GuestGuardHTTP
import Synchronization

/// The listeners' bound addresses, set once `start()` has bound them.
final class BoundAddresses: Sendable {
    private let state = Mutex<[HTTPServerAddress]>([])
    var value: [HTTPServerAddress] {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}
