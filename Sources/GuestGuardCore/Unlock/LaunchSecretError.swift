import GuestGuardPlatform

/// Why an injected SEV/SEV-ES launch secret could not be taken.
public enum LaunchSecretError: Error, Sendable, CustomStringConvertible {
    /// `/sys/kernel/security` is not mounted (securityfs).
    case securityfsMissing
    /// No `secrets/coco` directory: `efi_secret` not loaded, or the guest owner injected nothing.
    case noSecretArea
    /// The area exists but has no entry with this GUID.
    case noEntry(guid: String)
    /// The entry is empty (after removing the trailing NUL) or larger than a key can be.
    case badSize(guid: String, bytes: Int)
    /// Reading or unlinking (which wipes the secret) failed.
    case file(PlatformError)

    public var description: String {
        switch self {
        case .securityfsMissing: return "securityfs is not mounted at /sys/kernel/security (mount -t securityfs securityfs /sys/kernel/security)"
        case .noSecretArea: return "no launch secret: /sys/kernel/security/secrets/coco is missing (efi_secret not loaded, or no secret was injected)"
        case .noEntry(let guid): return "no launch secret \(guid) in /sys/kernel/security/secrets/coco"
        case .badSize(let guid, let bytes): return "launch secret \(guid) has \(bytes) bytes: not a key"
        case .file(let error): return "launch secret: \(error)"
        }
    }
}
