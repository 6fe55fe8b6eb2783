import GuestGuardPlatform

/// Why a server could not start.
public enum HTTPServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `bind` (or `listen`) failed; `reason` is the system's word for it.
    case bindFailed(address: HTTPServerAddress, reason: String)
    /// Something other than a socket occupies the unix socket path; it is left alone.
    case socketPathOccupied(path: String)
    /// Preparing the unix socket path (private directory, chmod, rename) failed.
    case socketPathSetupFailed(PlatformError)
    /// The TLS certificate or key could not be loaded.
    case tls(TLSError)
    /// `start()` after `shutdown()`.
    case alreadyShutDown

    public var description: String {
        switch self {
        case .bindFailed(let address, let reason): return "cannot listen on \(address): \(reason)"
        case .socketPathOccupied(let path): return "cannot listen on unix:\(path): a non-socket file exists there"
        case .socketPathSetupFailed(let error): return "cannot prepare the unix socket: \(error)"
        case .tls(let error): return "TLS setup failed: \(error)"
        case .alreadyShutDown: return "the server has been shut down"
        }
    }
}
