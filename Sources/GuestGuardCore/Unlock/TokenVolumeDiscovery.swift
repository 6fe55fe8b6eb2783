import GuestGuardPlatform

/// Finds every LUKS2 block device that carries a `guestguard` token: walks `/sys/class/block`
/// through `files`, skips empty devices and opened dm-crypt mappings, reads the LUKS magic at
/// offset 0 of `/dev/<name>`, and reads the tokens of LUKS2 devices through `probe`.
///
/// Fail closed: a device whose guestguard token is malformed, that carries several, or whose
/// LUKS UUID is shared with another device is reported as a problem, not unlocked. Devices that
/// cannot be opened at all (an empty CD drive) are left out silently.
public struct TokenVolumeDiscovery: Sendable {
    public let files: any FileSystem
    public let probe: any LUKSDeviceProbe

    public init(files: any FileSystem, probe: any LUKSDeviceProbe) {
        self.files = files
        self.probe = probe
    }

    /// A device that looked like ours but cannot be used.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public let device: String
        public let reason: String
        public var description: String { "\(device): \(reason)" }
    }

    public struct Outcome: Sendable, Hashable {
        /// Devices to unlock, in `/sys/class/block` order.
        public let volumes: [DiscoveredVolume]
        public let problems: [Problem]
    }

    static let uuidCharacters = Set("0123456789abcdefABCDEF-".utf8)

    public func discover() -> Outcome {
        var volumes: [DiscoveredVolume] = []
        var problems: [Problem] = []
        for name in (try? files.listDirectory("/sys/class/block")) ?? [] {
            let sys = "/sys/class/block/\(name)"
            if let size = try? files.readText("\(sys)/size", limit: 64), size.trimmingWhitespace() == "0" { continue }
            if let dmUUID = try? files.readText("\(sys)/dm/uuid", limit: 4096), dmUUID.hasPrefix("CRYPT-") { continue }
            // sysfs spells "/" in device names as "!" (cciss!c0d0 is /dev/cciss/c0d0).
            let device = "/dev/" + name.replacingAll("!", with: "/")
            guard let kind = try? files.status(device)?.kind, kind == .blockDevice || kind == .regular else { continue }
            guard (try? probe.luksVersion(device: device)) == 2 else { continue }
            let listing: LUKS2TokenListing
            do { listing = try probe.luks2Tokens(device: device) } catch {
                problems.append(Problem(device: device, reason: "LUKS2 header unreadable: \(error)"))
                continue
            }
            let ours = listing.tokens.keys.sorted().filter { GuestGuardToken.isGuestGuardToken(jsonText: listing.tokens[$0]!) }
            guard let id = ours.first else { continue }
            // The UUID names the mapping (luks-<UUID>): only a UUID's characters, from a header the host wrote.
            guard !listing.uuid.isEmpty, listing.uuid.utf8.count <= 40, listing.uuid.utf8.allSatisfy({ Self.uuidCharacters.contains($0) }) else {
                problems.append(Problem(device: device, reason: "LUKS UUID \(String(reflecting: listing.uuid)) is not a UUID"))
                continue
            }
            if ours.count > 1 {
                problems.append(Problem(device: device, reason: "several guestguard tokens (\(ours.map(String.init).joined(separator: ", ")))"))
                continue
            }
            do {
                volumes.append(DiscoveredVolume(device: device, uuid: listing.uuid, tokenID: id, token: try GuestGuardToken(jsonText: listing.tokens[id]!)))
            } catch { problems.append(Problem(device: device, reason: error.description)) }
        }
        // The same UUID twice (a copy of a disk, or multipath): which one is real is not guessed.
        var byUUID: [String: [String]] = [:]
        for volume in volumes { byUUID[volume.uuid, default: []].append(volume.device) }
        let shared = byUUID.filter { $0.value.count > 1 }
        for volume in volumes where shared[volume.uuid] != nil {
            let others = shared[volume.uuid]!.filter { $0 != volume.device }.joined(separator: ", ")
            problems.append(Problem(device: volume.device, reason: "LUKS UUID \(volume.uuid) also on \(others): refusing to choose"))
        }
        return Outcome(volumes: volumes.filter { shared[$0.uuid] == nil }, problems: problems)
    }
}

extension String {
    func replacingAll(_ character: Character, with replacement: String) -> String {
        split(separator: character, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
