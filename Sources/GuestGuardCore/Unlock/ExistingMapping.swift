import GuestGuardPlatform

/// What a device-mapper node already carrying the name guestguard would give a volume is.
/// A name proves nothing: anything with CAP_SYS_ADMIN (or, with a built-in dm_mod, the kernel
/// command line's `dm-mod.create=`) can make `/dev/mapper/root` over a disk of its choice.
///
/// A mapping counts as this volume's only when its dm UUID is the one libcryptsetup gives a
/// LUKS2 activation (`dm_prepare_uuid()` in lib/libdevmapper.c: `CRYPT-<type>-<UUID without
/// '-'>-<name>`, `/sys/block/dm-N/dm/uuid`) and its only lower device (`slaves/`) is the volume's
/// device. At boot even that is not enough: nothing may exist before guestguard, so any earlier
/// mapping under the name is refused (`UnlockPlan.Mode.boot`).
public enum ExistingMapping: Sendable, Hashable {
    /// No device-mapper node has the name.
    case none
    /// The node `dm-N` is this volume's LUKS2 crypt mapping.
    case thisVolume(node: String)
    /// The node `dm-N` has the name but is not (provably) this volume's crypt mapping.
    case other(node: String, reason: String)

    /// The `dm-N` whose `dm/name` is `name`, via sysfs (`files` may be a copied tree).
    public static func node(named name: String, files: any FileSystem) -> String? {
        for candidate in (try? files.listDirectory("/sys/class/block")) ?? [] where candidate.hasPrefix("dm-") {
            if (try? files.readText("/sys/class/block/\(candidate)/dm/name", limit: 4096))?.trimmingWhitespace() == name { return candidate }
        }
        return nil
    }

    /// The dm UUID libcryptsetup sets when it activates the LUKS2 volume `uuid` as `name`.
    public static func cryptUUID(luksUUID uuid: String, name: String) -> String {
        "CRYPT-LUKS2-\(uuid.filter { $0 != "-" })-\(name)"
    }

    /// Classifies the node named `name` against `volume` (its device and LUKS UUID).
    public static func classify(name: String, volume: DiscoveredVolume, files: any FileSystem) -> ExistingMapping {
        guard let node = node(named: name, files: files) else { return .none }
        let sys = "/sys/class/block/\(node)"
        let expected = cryptUUID(luksUUID: volume.uuid, name: name)
        let found = (try? files.readText("\(sys)/dm/uuid", limit: 4096))?.trimmingWhitespace() ?? ""
        guard found == expected else {
            return .other(node: node, reason: "its dm uuid \(String(reflecting: found)) is not \(expected)")
        }
        // sysfs spells "/" in device names as "!" (/dev/cciss/c0d0 is cciss!c0d0).
        let lower = String(volume.device.dropFirst("/dev/".count)).replacingAll("/", with: "!")
        let slaves = ((try? files.listDirectory("\(sys)/slaves")) ?? []).sorted()
        guard slaves == [lower] else {
            return .other(node: node, reason: "it maps \(slaves.isEmpty ? "no device" : slaves.joined(separator: ", ")), not \(volume.device)")
        }
        return .thisVolume(node: node)
    }
}
