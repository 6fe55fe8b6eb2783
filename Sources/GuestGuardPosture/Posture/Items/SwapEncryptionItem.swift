import GuestGuardCore
import CanonicalJSON
import GuestGuardPlatform

/// Swap must not write plaintext memory to a host-visible disk: every `/proc/swaps` entry must be
/// zram (RAM, encrypted by SEV) or sit on dm-crypt (channels.md §8.1 step 5).
public struct SwapEncryptionItem: PostureItem {
    public let id = "swap-encryption"
    public let title = "swap encryption"
    public let channel: String? = "P25"
    public let defaultMode = DenyMode.require
    public init() {}

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        let text: String
        do { text = try context.files.readText("/proc/swaps") } catch {
            return finding(.unknown, "cannot read /proc/swaps: \(error)")
        }
        let lines = text.split(separator: "\n")
        guard let header = lines.first, header.hasPrefix("Filename") else {
            return finding(.unknown, "/proc/swaps does not start with its \"Filename Type …\" header")
        }
        let entries = lines.dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true).map { $0.split(separator: "\t") }.flatMap { $0 } }
        if entries.isEmpty { return finding(.ok, "no swap") }
        let walker = BlockDeviceWalker(files: context.files)
        var mounts: MountTable?
        var bad: [String] = []
        var unknown: [String] = []
        var described: [JSONValue] = []
        for fields in entries {
            guard fields.count >= 2 else { unknown.append(String(fields.joined(separator: " "))); continue }
            let name = MountTable.unescape(fields[0])
            let type = String(fields[1])
            var protection: BlockDeviceWalker.Protection?
            if name.hasPrefix("/dev/zram") {
                described.append(["name": .string(name), "type": .string(type), "protection": "zram (guest memory)"])
                continue
            }
            var device: DeviceNumber?
            if type == "partition" {
                device = walker.deviceNumber(forDevicePath: name)
            } else if type == "file" {
                if mounts == nil { mounts = try? MountTable(parsing: (try? context.files.readText("/proc/self/mountinfo", limit: 4 << 20)) ?? "") }
                device = mounts?.entry(containing: name)?.device
            }
            if let device, device.major != 0 { protection = try? walker.walk(device).protection }
            described.append(["name": .string(name), "type": .string(type), "protection": .optional(protection?.label)])
            switch protection {
            case nil: unknown.append(name)
            case .some(.none): bad.append(name)
            default: break
            }
        }
        let details: [String: JSONValue] = ["swaps": .array(described)]
        if !bad.isEmpty { return finding(.fail, "unencrypted swap: \(bad.joined(separator: ", "))", details) }
        if !unknown.isEmpty { return finding(.unknown, "cannot tell how swap is stored: \(unknown.joined(separator: ", "))", details) }
        return finding(.ok, "all swap is encrypted or in RAM", details)
    }
}
