import GuestGuardHTTP
import GuestGuardPlatform

/// Why the posture service could not start or publish.
public enum PostureServiceError: Error, Sendable, CustomStringConvertible {
    /// The posture document could not be rendered (serialization or digest failed).
    case render(String)
    /// A listener could not be set up.
    case listener(HTTPServerError)
    /// systemd could not be notified.
    case notify(PlatformError)

    public var description: String {
        switch self {
        case .render(let reason): return "cannot render the posture: \(reason)"
        case .listener(let error): return "\(error)"
        case .notify(let error): return "cannot notify systemd: \(error)"
        }
    }
}
