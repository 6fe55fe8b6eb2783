import GuestGuardPlatform
import Synchronization

/// Unlocks the LUKS2 devices that carry a `guestguard` token: `TokenVolumeDiscovery`, then
/// `VolumeUnlock` per device (header copied and validated before its key is requested), with one
/// result per device. A device that fails does not stop the others.
///
/// With `expected` (the configuration's `[[volume]]` tables, or `unlock --volume`), only those
/// volumes are opened: every other tokened device is refused by name (device and UUID), each
/// expected volume that is absent is reported, and the header copy of each opened one must be
/// the expected volume (`ExpectedVolume.mismatch`). In `.boot` mode a foreign volume means that
/// nothing is opened at all.
///
/// A device-mapper node that already has a volume's name counts as that volume's mapping only when
/// `ExistingMapping` proves it (dm UUID `CRYPT-LUKS2-<uuid>-<name>`, the volume's device below it);
/// otherwise the volume fails. In `.boot` mode a mapping that existed before this plan's first
/// run is refused as well; mappings this plan made itself are `.alreadyActive`, so a boot loop can
/// retry until the broker answers.
///
/// ```swift
/// let plan = UnlockPlan(discovery: TokenVolumeDiscovery(files: files, probe: probe), unlock: unlock,
///                       expected: config.volumes, mode: .boot)
/// let results = plan.run(naming: .systemd, keySource: .broker(fetch))
/// ```
public struct UnlockPlan: Sendable {
    public let discovery: TokenVolumeDiscovery
    public let unlock: VolumeUnlock
    /// Prefix that turns a discovered device path into one libcryptsetup can open: "" in
    /// production; the fake root's directory in tests (the same root as the discovery's files).
    public let deviceRoot: String
    /// The only volumes to open; nil: every tokened device (tests and `--verify-only` checks).
    public let expected: [ExpectedVolume]?
    public let mode: Mode
    let made = MappingsMade()

    public enum Mode: Sendable, Hashable {
        /// A running system: an existing mapping proven to be the volume's is left alone.
        case runtime
        /// The initramfs: no mapping may exist before guestguard's, and a foreign volume stops everything.
        case boot
    }

    public init(discovery: TokenVolumeDiscovery, unlock: VolumeUnlock, deviceRoot: String = "", expected: [ExpectedVolume]? = nil,
                mode: Mode = .runtime)
    {
        self.discovery = discovery
        self.unlock = unlock
        self.deviceRoot = deviceRoot
        self.expected = expected
        self.mode = mode
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

    /// Discovers the volumes and unlocks each; discovery problems come first, as failures, then
    /// refused and missing volumes.
    public func run(naming: Naming, keySource: VolumeUnlock.KeySource) -> [VolumeUnlockResult] {
        run(naming: naming) { _ in keySource }
    }

    /// ``run(naming:keySource:)`` with a key source per volume (boot: each volume's configured resource,
    /// all fetched with one attestation, ``AttestedKeys``).
    public func run(naming: Naming, keySourceFor: @Sendable (DiscoveredVolume) -> VolumeUnlock.KeySource) -> [VolumeUnlockResult] {
        let found = discovery.discover()
        var results = found.problems.map {
            VolumeUnlockResult(device: $0.device, uuid: nil, name: nil, status: .failed(.discovery(device: $0.device, reason: $0.reason)))
        }
        var volumes = found.volumes
        if let expected {
            let foreign = volumes.filter { volume in !expected.contains { $0.matches(uuid: volume.uuid) } }
            for volume in foreign {
                let reason = "not a volume the configuration names (expected: \(expected.map(\.uuid).joined(separator: ", ")))"
                results.append(VolumeUnlockResult(device: volume.device, uuid: volume.uuid, name: nil,
                                                  status: .failed(.unexpectedVolume(device: volume.device, uuid: volume.uuid, reason: reason))))
            }
            for volume in expected where !volumes.contains(where: { volume.matches(uuid: $0.uuid) }) {
                results.append(VolumeUnlockResult(device: "UUID=\(volume.uuid)", uuid: volume.uuid, name: nil,
                                                  status: .failed(.expectedVolumeMissing(uuid: volume.uuid))))
            }
            if mode == .boot, !foreign.isEmpty { return results }
            volumes.removeAll { volume in !expected.contains { $0.matches(uuid: volume.uuid) } }
        }
        for volume in volumes {
            let name = naming.name(for: volume)
            if let name {
                switch ExistingMapping.classify(name: name, volume: volume, files: discovery.files) {
                case .none:
                    break
                case .thisVolume where mode == .runtime || made.contains(name):
                    results.append(VolumeUnlockResult(device: volume.device, uuid: volume.uuid, name: name, status: .alreadyActive))
                    continue
                case .thisVolume(let node):
                    results.append(refused(volume, name: name, reason: "\(node) existed before guestguard ran (at boot nothing may)"))
                    continue
                case .other(let node, let reason):
                    results.append(refused(volume, name: name, reason: "\(node) is not this volume's crypt mapping: \(reason)"))
                    continue
                }
            }
            let identity = expected?.first { $0.matches(uuid: volume.uuid) }
            do {
                let outcome = try unlock.unlock(device: deviceRoot + volume.device, name: name, keySource: keySourceFor(volume), expected: identity)
                if let name { made.insert(name) }
                results.append(VolumeUnlockResult(device: volume.device, uuid: volume.uuid, name: name, status: .unlocked(outcome)))
            } catch {
                results.append(VolumeUnlockResult(device: volume.device, uuid: volume.uuid, name: name, status: .failed(error)))
            }
        }
        return results
    }

    func refused(_ volume: DiscoveredVolume, name: String, reason: String) -> VolumeUnlockResult {
        VolumeUnlockResult(device: volume.device, uuid: volume.uuid, name: name,
                           status: .failed(.mappingExists(device: volume.device, name: name, reason: reason)))
    }
}

/// The mapping names an `UnlockPlan` activated itself (shared by the copies of the plan, across retries).
final class MappingsMade: Sendable {
    private let names = Mutex<Set<String>>([])
    func insert(_ name: String) { _ = names.withLock { $0.insert(name) } }
    func contains(_ name: String) -> Bool { names.withLock { $0.contains(name) } }
}
