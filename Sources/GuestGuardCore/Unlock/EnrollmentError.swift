import GuestGuardPlatform

/// Why a volume was not enrolled or formatted. Nothing is destroyed on the way to any of these:
/// keyslots are only removed after their replacement and its token are written.
public enum EnrollmentError: Error, Sendable, CustomStringConvertible {
    case volume(LUKSVolumeError)
    /// The device's header breaks the header policy: unlocking would refuse it, so it is not enrolled.
    case headerRefused(device: String, violations: [String])
    /// The existing passphrase opens no keyslot (`crypt_keyslot_add_by_passphrase` said `EPERM`).
    case wrongPassphrase(device: String)
    /// More than one `guestguard` token: which one is ours is not guessed.
    case severalTokens(device: String, ids: [Int])
    case metadata(device: String, reason: String)
    /// The device already holds a LUKS header and overwriting was not asked for.
    case alreadyLUKS(device: String, version: Int)
    /// After format, the new header does not pass the header check or the key does not open it.
    case formatCheck(device: String, reason: String)
    /// The broker's key could not be obtained.
    case key(String)
    /// The existing passphrase could not be read.
    case passphrase(String)

    public var description: String {
        switch self {
        case .volume(let error): return "\(error)"
        case .headerRefused(let device, let violations): return "\(device): LUKS2 header refused: " + violations.joined(separator: "; ")
        case .wrongPassphrase(let device): return "\(device): the existing passphrase opens no keyslot"
        case .severalTokens(let device, let ids): return "\(device): several guestguard tokens (\(ids.map(String.init).joined(separator: ", "))); remove all but one with `cryptsetup token remove`"
        case .metadata(let device, let reason): return "\(device): LUKS2 metadata: \(reason)"
        case .alreadyLUKS(let device, let version): return "\(device) already holds a LUKS\(version) header (give --force to overwrite it)"
        case .formatCheck(let device, let reason): return "\(device): the new header fails its own check: \(reason)"
        case .key(let reason): return "no key: \(reason)"
        case .passphrase(let reason): return "no passphrase: \(reason)"
        }
    }

    init(_ error: UnlockError) {
        switch error {
        case .volume(let error): self = .volume(error)
        case .metadata(let device, let reason): self = .metadata(device: device, reason: reason)
        default: self = .metadata(device: "", reason: error.description)
        }
    }
}
