import GuestGuardPlatform

/// Why a volume was not unlocked. Every case is fail-closed: no key was used on an unchecked header.
public enum UnlockError: Error, Sendable, CustomStringConvertible {
    case volume(LUKSVolumeError)
    /// The header (as copied into guest memory) breaks the header policy; every violation listed.
    case headerRefused(device: String, violations: [String])
    case noToken(device: String)
    case badToken(device: String, reason: String)
    case metadata(device: String, reason: String)
    case key(String)
    /// Discovery found the device but refused it (malformed or duplicated token, duplicate UUID).
    case discovery(device: String, reason: String)

    public var description: String {
        switch self {
        case .volume(let error): return "\(error)"
        case .headerRefused(let device, let violations): return "\(device): LUKS2 header refused: " + violations.joined(separator: "; ")
        case .noToken(let device): return "\(device): no guestguard token in the LUKS2 header"
        case .badToken(let device, let reason): return "\(device): \(reason)"
        case .metadata(let device, let reason): return "\(device): LUKS2 metadata: \(reason)"
        case .key(let reason): return "no key: \(reason)"
        case .discovery(let device, let reason): return "\(device): \(reason)"
        }
    }
}
