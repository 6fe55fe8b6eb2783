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
    /// A volume the configuration does not name (or whose header copy is not the named one).
    case unexpectedVolume(device: String, uuid: String, reason: String)
    /// A volume the configuration names is on no block device (yet).
    case expectedVolumeMissing(uuid: String)
    /// A device-mapper node already has the name this volume would get, and it is not (or, at
    /// boot, may not be) this volume's crypt mapping.
    case mappingExists(device: String, name: String, reason: String)

    /// Waiting will not change it (the disk, or what the host attached, stays as it is): boot powers off without retrying.
    public var isPermanent: Bool {
        switch self {
        case .headerRefused, .unexpectedVolume, .mappingExists: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .volume(let error): return "\(error)"
        case .headerRefused(let device, let violations): return "\(device): LUKS2 header refused: " + violations.joined(separator: "; ")
        case .noToken(let device): return "\(device): no guestguard token in the LUKS2 header"
        case .badToken(let device, let reason): return "\(device): \(reason)"
        case .metadata(let device, let reason): return "\(device): LUKS2 metadata: \(reason)"
        case .key(let reason): return "no key: \(reason)"
        case .discovery(let device, let reason): return "\(device): \(reason)"
        case .unexpectedVolume(let device, let uuid, let reason):
            return "\(device): refusing the volume with LUKS2 UUID \(uuid): \(reason)"
        case .expectedVolumeMissing(let uuid): return "UUID=\(uuid): no block device carries the expected volume (LUKS2 UUID \(uuid))"
        case .mappingExists(let device, let name, let reason): return "\(device): /dev/mapper/\(name) already exists and is refused: \(reason)"
        }
    }
}
