import GuestGuardPlatform

/// Whether the kernel offers device-mapper: `/proc/misc` lists `device-mapper` once dm_mod is
/// loaded (or built in). `/dev/mapper/control` is not a reliable sign: a container or a copied
/// /dev can have the node without the driver. Named activation needs it; `--verify-only` does not.
public enum DeviceMapperSupport {
    public static func isAvailable(files: any FileSystem) -> Bool {
        guard let misc = try? files.readText("/proc/misc", limit: 64 << 10) else { return false }
        return misc.split(separator: "\n").contains { line in line.split(separator: " ").last == "device-mapper" }
    }
}
