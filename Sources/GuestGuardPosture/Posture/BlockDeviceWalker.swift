import GuestGuardCore
import CanonicalJSON
import GuestGuardPlatform

/// Walks the block-device stack under a device through `/sys/dev/block/MAJ:MIN` and `slaves/`
/// (channels.md §8.1) and says whether every path to a physical device passes through dm-crypt.
public struct BlockDeviceWalker: Sendable {
    /// How a device-mapper node is classified by its DM UUID (`dm_prepare_uuid()` in cryptsetup:
    /// `CRYPT-<type>-[<uuid>-]<name>`).
    public enum Protection: Int, Sendable, Comparable {
        /// No encrypting layer on the path.
        case none = 0
        /// Plain dm-crypt (no header: typical random-key swap).
        case plainCrypt = 1
        /// LUKS1.
        case luks1 = 2
        /// LUKS2.
        case luks2 = 3

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

        public var label: String {
            switch self {
            case .none: return "unencrypted"
            case .plainCrypt: return "plain dm-crypt"
            case .luks1: return "LUKS1"
            case .luks2: return "LUKS2"
            }
        }

        init(dmUUID: String) {
            if dmUUID.hasPrefix("CRYPT-LUKS2-") { self = .luks2 }
            else if dmUUID.hasPrefix("CRYPT-LUKS1-") { self = .luks1 }
            else if dmUUID.hasPrefix("CRYPT-PLAIN-") { self = .plainCrypt }
            else { self = .none }
        }
    }

    /// The result for one device.
    public struct Outcome: Sendable, Hashable {
        /// The weakest protection over all leaf paths.
        public let protection: Protection
        /// Every path from the device down to a leaf, e.g. `["dm-1 (CRYPT-LUKS2-…-root)", "vda2"]`.
        public let paths: [[String]]
        /// The dm-crypt nodes met (names).
        public let cryptNodes: [String]
    }

    /// Why the walk stopped.
    public struct WalkError: Error, Sendable, Hashable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    let files: any FileSystem
    /// Guards against cycles and absurd stacks in a hostile or garbled sysfs.
    let maximumDepth = 16

    public init(files: any FileSystem) { self.files = files }

    public func walk(_ device: DeviceNumber) throws(WalkError) -> Outcome {
        var paths: [[String]] = []
        var protections: [Protection] = []
        var cryptNodes: [String] = []
        try visit("/sys/dev/block/\(device)", label: device.description, depth: 0, path: [], best: .none,
                  paths: &paths, protections: &protections, cryptNodes: &cryptNodes)
        return Outcome(protection: protections.min() ?? .none, paths: paths, cryptNodes: cryptNodes)
    }

    private func visit(_ sysPath: String, label: String, depth: Int, path: [String], best: Protection,
                       paths: inout [[String]], protections: inout [Protection], cryptNodes: inout [String]) throws(WalkError)
    {
        guard depth < maximumDepth else { throw WalkError(reason: "device stack deeper than \(maximumDepth) at \(sysPath)") }
        guard files.exists(sysPath) else { throw WalkError(reason: "\(sysPath) does not exist") }
        var name = label
        var protection = best
        if files.exists("\(sysPath)/dm") {
            let dmName = (try? files.readText("\(sysPath)/dm/name", limit: 4096))?.trimmingWhitespace() ?? "?"
            guard let uuid = try? files.readText("\(sysPath)/dm/uuid", limit: 4096) else {
                throw WalkError(reason: "cannot read \(sysPath)/dm/uuid")
            }
            let dmUUID = uuid.trimmingWhitespace()
            let nodeProtection = Protection(dmUUID: dmUUID)
            name = "\(dmName) [\(dmUUID.isEmpty ? "no dm uuid" : dmUUID)]"
            if nodeProtection > .none { cryptNodes.append(dmName) }
            protection = max(protection, nodeProtection)
        }
        let here = path + [name]
        let slaves = (try? files.listDirectory("\(sysPath)/slaves")) ?? []
        if slaves.isEmpty {
            paths.append(here)
            protections.append(protection)
            return
        }
        for slave in slaves {
            try visit("/sys/class/block/\(slave)", label: slave, depth: depth + 1, path: here, best: protection,
                      paths: &paths, protections: &protections, cryptNodes: &cryptNodes)
        }
    }

    /// The device number of a block device named by path (`/dev/vda2`, `/dev/mapper/root`,
    /// `/dev/dm-1`) via sysfs, without stat on /dev (works on a copied tree).
    public func deviceNumber(forDevicePath devicePath: String) -> DeviceNumber? {
        var name = String(devicePath.split(separator: "/").last ?? "")
        if devicePath.hasPrefix("/dev/mapper/") { name = ExistingMapping.node(named: name, files: files) ?? "" }
        guard !name.isEmpty, let text = try? files.readText("/sys/class/block/\(name)/dev", limit: 64) else { return nil }
        return DeviceNumber(parsing: text.trimmingWhitespace())
    }
}
