import GuestGuardCore
import GuestGuardConfig
import GuestGuardPlatform

/// Why `guestguard deny` could not plan, apply or undo.
public enum DenyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The policy file is malformed (file:line:column and key in the wrapped error).
    case policy(ConfigError)
    /// Reading the current state failed; nothing was changed.
    case inspect(subject: String, PlatformError)
    /// A change failed after `completed` earlier changes were applied (all of them journaled).
    case apply(subject: String, completed: Int, PlatformError)
    /// The journal could not be read, parsed or written.
    case journal(path: String, reason: String)
    /// Undo restored what it could; these subjects failed (kept in the journal).
    case undoIncomplete([String])

    public var description: String {
        switch self {
        case .policy(let error): return "\(error)"
        case .inspect(let subject, let error): return "cannot read the state of \(subject): \(error)"
        case .apply(let subject, let completed, let error): return "applying \(subject) failed after \(completed) change(s): \(error)"
        case .journal(let path, let reason): return "journal \(path): \(reason)"
        case .undoIncomplete(let failures): return "undo incomplete: \(failures.joined(separator: "; "))"
        }
    }
}
