import GuestGuardCore
import CanonicalJSON
import GuestGuardPlatform

/// Whether `/` sits on dm-crypt, and which kind (channels.md §8.1): LUKS2 ok, LUKS1 or plain warn,
/// none fail. The device comes from mountinfo; the stack from `/sys/dev/block`.
public struct RootDiskEncryptionItem: PostureItem {
    public let id = "root-encryption"
    public let title = "root filesystem encryption"
    public let channel: String? = "P26"
    public let defaultMode = DenyMode.require
    public init() {}

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        let mounts: MountTable
        do {
            mounts = try MountTable(parsing: try context.files.readText("/proc/self/mountinfo", limit: 4 << 20))
        } catch let error as PlatformError {
            return finding(.unknown, "cannot read /proc/self/mountinfo: \(error)")
        } catch {
            return finding(.unknown, "\(error)")
        }
        guard let root = mounts.entry(containing: "/"), root.mountPoint == "/" else {
            return finding(.unknown, "no mount for / in /proc/self/mountinfo")
        }
        var details: [String: JSONValue] = ["source": .string(root.source), "fsType": .string(root.fileSystemType)]
        let walker = BlockDeviceWalker(files: context.files)
        var device = root.device
        if device.major == 0 {
            guard root.source.hasPrefix("/dev/"), let resolved = walker.deviceNumber(forDevicePath: root.source) else {
                return finding(.warn, "/ is \(root.fileSystemType) from \(root.source), not on a block device guestguard can follow", details)
            }
            device = resolved
        }
        details["device"] = .string(device.description)
        do {
            let result = try walker.walk(device)
            details["paths"] = .array(result.paths.map { .array($0.map { .string($0) }) })
            details["protection"] = .string(result.protection.label)
            switch result.protection {
            case .luks2: return finding(.ok, "/ on LUKS2 dm-crypt (\(result.cryptNodes.joined(separator: ", ")))", details)
            case .luks1: return finding(.warn, "/ on LUKS1 dm-crypt: no header integrity, weaker KDF", details)
            case .plainCrypt: return finding(.warn, "/ on plain dm-crypt without a LUKS header", details)
            case .none: return finding(.fail, "/ (\(root.source), \(device)) is not on dm-crypt: the host can read the disk", details)
            }
        } catch {
            return finding(.unknown, "cannot walk \(device): \(error)", details)
        }
    }
}
