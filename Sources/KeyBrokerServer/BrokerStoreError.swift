import GuestGuardPlatform
import SNPPolicy

/// Why the key store could not do what was asked.
public enum BrokerStoreError: Error, Sendable, CustomStringConvertible {
    case noSuchResource(ResourceID)
    case alreadyExists(ResourceID)
    case noPolicy(ResourceID)
    case invalidKey(ResourceID, String)
    case invalidPolicy(ResourceID, PolicyFileError)
    case file(PlatformError)
    /// The broker's `key-id` secret file is unusable.
    case invalidSecret(String, String)
    /// The policy leaves a rule open without saying so (`SNPVerificationPolicy.implicitlyUnconstrained`).
    case implicitlyOpenPolicy(ResourceID, [String])
    /// The store did not answer (PostgreSQL down, connection lost): the broker answers 503.
    case unavailable(String)
    /// The store's contents are unusable (a schema this broker does not know, a key that does not
    /// open under the key-encryption key, …).
    case corrupt(String)

    public var description: String {
        switch self {
        case .noSuchResource(let id): return "no key for resource \(id)"
        case .alreadyExists(let id): return "resource \(id) already has a key (delete it first)"
        case .noPolicy(let id): return "no policy for resource \(id): nothing is released without one"
        case .invalidKey(let id, let reason): return "key for \(id): \(reason)"
        case .invalidPolicy(let id, let error): return "policy for \(id): \(error)"
        case .file(let error): return "key store: \(error)"
        case .invalidSecret(let path, let reason): return "key-id secret \(path): \(reason)"
        case .unavailable(let reason): return "store unavailable: \(reason)"
        case .corrupt(let reason): return "store: \(reason)"
        case .implicitlyOpenPolicy(let id, let open):
            return "policy for \(id) leaves \(open.joined(separator: "; ")) open without saying so: "
                + "set it, or write the value \"any\" to accept anything explicitly (docs/policy.md)"
        }
    }
}
