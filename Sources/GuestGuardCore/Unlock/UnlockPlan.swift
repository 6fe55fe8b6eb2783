import GuestGuardPlatform

/// Unlocks every LUKS2 device that carries a `guestguard` token: `TokenVolumeDiscovery`, then
/// `VolumeUnlock` per device (header copied and validated before its key is requested), with one
/// result per device. A device that fails does not stop the others.
///
/// Safe to run again (a boot loop retrying until the broker answers): mappings that already
/// exist are reported `.alreadyActive` and not touched.
///
/// ```swift
/// let plan = UnlockPlan(discovery: TokenVolumeDiscovery(files: files, probe: probe), unlock: unlock)
/// for attempt in 0..<5 {
///     let results = await plan.run(naming: .systemd, keySource: .broker(fetch))
///     if results.allSatisfy(\.succeeded) { break }
///     try await clock.sleep(nanoseconds: 2_000_000_000 << attempt)
/// }
/// ```
public struct UnlockPlan: Sendable {
    public let discovery: TokenVolumeDiscovery
    public let unlock: VolumeUnlock
    /// Prefix that turns a discovered device path into one libcryptsetup can open: "" in
    /// production; the fake root's directory in tests (the same root as the discovery's files).
    public let deviceRoot: String

    public init(discovery: TokenVolumeDiscovery, unlock: VolumeUnlock, deviceRoot: String = "") {
        self.discovery = discovery
        self.unlock = unlock
        self.deviceRoot = deviceRoot
    }

    /// How each volume's mapping is named.
    public enum Naming: Sendable {
        /// Only check that the key opens each volume (no device-mapper needed).
        case verifyOnly
        /// `luks-<UUID>`, as systemd-cryptsetup names volumes without a crypttab entry.
        case systemd
        /// A name chosen per volume.
        case custom(@Sendable (DiscoveredVolume) -> String)

        func name(for volume: DiscoveredVolume) -> String? {
            switch self {
            case .verifyOnly: return nil
            case .systemd: return volume.defaultName
            case .custom(let name): return name(volume)
            }
        }
    }

    /// Discovers the volumes and unlocks each; discovery problems come first, as failures.
    public func run(naming: Naming, keySource: VolumeUnlock.KeySource) async -> [VolumeUnlockResult] {
        let found = discovery.discover()
        var results = found.problems.map {
            VolumeUnlockResult(device: $0.device, uuid: nil, name: nil, status: .failed(.discovery(device: $0.device, reason: $0.reason)))
        }
        let walker = BlockDeviceWalker(files: discovery.files)
        for volume in found.volumes {
            let name = naming.name(for: volume)
            if let name, walker.deviceNumber(forDevicePath: "/dev/mapper/\(name)") != nil {
                results.append(VolumeUnlockResult(device: volume.device, uuid: volume.uuid, name: name, status: .alreadyActive))
                continue
            }
            do {
                let outcome = try await unlock.unlock(device: deviceRoot + volume.device, name: name, keySource: keySource)
                results.append(VolumeUnlockResult(device: volume.device, uuid: volume.uuid, name: name, status: .unlocked(outcome)))
            } catch {
                results.append(VolumeUnlockResult(device: volume.device, uuid: volume.uuid, name: name, status: .failed(error)))
            }
        }
        return results
    }
}
