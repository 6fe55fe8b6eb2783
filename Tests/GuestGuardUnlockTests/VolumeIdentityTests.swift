import GuestGuardCore
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerTestSupport
import Testing

/// Only the tenant's volumes (issue 12, defects 3 and 5): two real LUKS2 images enrolled under the
/// same broker key and resource, as the host can attach another VM's disk; device-mapper nodes
/// written into a fake /sys as a host (or anything before guestguard) could leave them.
@Suite(.serialized) struct VolumeIdentityTests {
    let disks = LUKSTestVolumes()
    var files: HostFileSystem { disks.tree.fileSystem }

    /// A tokened LUKS2 volume at /dev/<name> whose machine keyslot opens with `key`.
    func tokenVolume(_ name: String, number: String, key: [UInt8]) async throws -> String {
        disks.tree.write("/sys/class/block/\(name)/dev", number + "\n")
        disks.tree.write("/sys/class/block/\(name)/size", "65536\n")
        let path = disks.blankFile("/dev/\(name)")
        let format = VolumeFormat(volumes: disks.volumes, probe: CryptsetupDeviceProbe(logger: disks.logger), headerCheck: StandardLUKS2HeaderCheck())
        return try await format.format(device: path, token: LUKSTestVolumes.token, machineKey: { SecretBytes(copying: key) }, recoveryPassphrase: nil).uuid
    }

    func plan(expected: [ExpectedVolume]?, mode: UnlockPlan.Mode = .runtime) -> UnlockPlan {
        UnlockPlan(discovery: TokenVolumeDiscovery(files: files, probe: CryptsetupDeviceProbe(root: disks.tree.root, logger: disks.logger)),
                   unlock: disks.unlocker(), deviceRoot: disks.tree.root, expected: expected, mode: mode)
    }

    func refusal(_ result: VolumeUnlockResult) -> String? {
        if case .failed(let error) = result.status { return error.description }
        return nil
    }

    @Test func twoVolumesUnderOneKeyOnlyTheConfiguredUUIDUnlocks() async throws {
        let broker = try BrokerHarness(jwe: true)
        let keys = BrokerKeys(broker)
        let ours = try await tokenVolume("vda", number: "254:0", key: broker.diskKey)
        let theirs = try await tokenVolume("vdb", number: "254:16", key: broker.diskKey)
        let results = await plan(expected: [ExpectedVolume(uuid: ours)]).run(naming: .verifyOnly, keySource: .broker { token in try keys.key(for: token) })
        #expect(results.map(\.device) == ["/dev/vdb", "/dev/vda"])
        #expect(refusal(results[0]) == "/dev/vdb: refusing the volume with LUKS2 UUID \(theirs): not a volume the configuration names (expected: \(ours.lowercased()))")
        guard case .unlocked = results[1].status else { Issue.record("the configured volume was not verified: \(String(describing: results[1].status))"); return }
        #expect(broker.audit.all.filter { $0.decision == .release }.count == 1, "the foreign volume never asks the broker")
    }

    @Test func atBootAForeignVolumeStopsEverythingAndAMissingOneIsNamed() async throws {
        let ours = try await tokenVolume("vda", number: "254:0", key: [UInt8](repeating: 3, count: 64))
        let theirs = try await tokenVolume("vdb", number: "254:16", key: [UInt8](repeating: 3, count: 64))
        let fetches = CallCounter()
        let source = VolumeUnlock.KeySource.broker { _ in fetches.record(); return SecretBytes(copying: [UInt8](repeating: 3, count: 64)) }
        let both = await plan(expected: [ExpectedVolume(uuid: ours)], mode: .boot).run(naming: .systemd, keySource: source)
        #expect(both.map(\.device) == ["/dev/vdb"])
        #expect(both.allSatisfy { !$0.succeeded })
        let absent = "0b9f1c3e-5d2a-4c1b-9e8f-7a6b5c4d3e2f"
        let foreignOnly = await plan(expected: [ExpectedVolume(uuid: absent)], mode: .boot).run(naming: .systemd, keySource: source)
        #expect(foreignOnly.map(\.device) == ["/dev/vda", "/dev/vdb", "UUID=\(absent)"])
        #expect(refusal(foreignOnly[1])?.contains(theirs) == true)
        #expect(refusal(foreignOnly[2]) == "UUID=\(absent): no block device carries the expected volume (LUKS2 UUID \(absent))")
        #expect(fetches.value == 0, "no key is requested while a foreign volume is attached")
        if case .failed(let error) = both[0].status { #expect(error.isPermanent, "boot does not wait for the host to detach it") }
    }

    /// The UUID is host-writable: a copy of another disk whose UUID was rewritten to ours passes a
    /// UUID-only pin (the documented limit), and is refused once the volume-key digest is pinned.
    @Test func aRewrittenUUIDIsCaughtByTheVolumeKeyDigest() async throws {
        let key = [UInt8](repeating: 4, count: 64)
        let ours = try await tokenVolume("vda", number: "254:0", key: key)
        let stanza = ExpectedVolume.stanza(uuid: ours, metadata: try disks.metadata(disks.tree.root + "/dev/vda"))
        let digest = try #require(stanza.split(separator: "\"").last.map(String.init))
        #expect(stanza == "[[volume]]\nuuid = \"\(ours.lowercased())\"\nvolume-key-digest = \"\(digest)\"")
        let theirs = disks.tree.root + "/dev/vdb"
        _ = try await tokenVolume("vdb", number: "254:16", key: key)
        try CryptDevice.loaded(theirs, logger: disks.logger).setUUID(ours)
        let fetches = CallCounter()
        let source = VolumeUnlock.KeySource.broker { _ in fetches.record(); return SecretBytes(copying: key) }
        _ = try await disks.unlocker().unlock(device: theirs, name: nil, keySource: source, expected: ExpectedVolume(uuid: ours))
        #expect(fetches.value == 1, "UUID only: the impostor is opened (why format prints the digest)")
        await #expect {
            try await disks.unlocker().unlock(device: theirs, name: nil, keySource: source, expected: ExpectedVolume(uuid: ours, volumeKeyDigest: digest))
        } throws: { error in
            "\(error)".contains("refusing the volume with LUKS2 UUID \(ours): volume-key digest") && "\(error)".contains("is not the expected \(digest)")
        }
        #expect(fetches.value == 1, "no key is requested for the impostor")
        _ = try await disks.unlocker().unlock(device: disks.tree.root + "/dev/vda", name: nil, keySource: source,
                                              expected: ExpectedVolume(uuid: ours, volumeKeyDigest: digest))
    }

    /// dm-1 is named like the volume's mapping; only a dm uuid and lower device that prove it is
    /// this volume's crypt mapping make it `.alreadyActive`, and at boot nothing does.
    @Test(arguments: [
        ("CRYPT-LUKS2-{uuid}-{name}", "vda", "runtime", "alreadyActive"),
        ("CRYPT-LUKS2-{uuid}-{name}", "vda", "boot", "existed before guestguard ran"),
        ("", "vda", "runtime", "its dm uuid \"\" is not CRYPT-LUKS2-"),
        ("CRYPT-PLAIN-{name}", "vda", "runtime", "is not CRYPT-LUKS2-"),
        ("CRYPT-LUKS2-{uuid}-{name}", "vdz", "runtime", "it maps vdz, not /dev/vda"),
        ("CRYPT-LUKS2-{uuid}-{name}", "", "runtime", "it maps no device, not /dev/vda"),
    ])
    func aNameIsNotAMapping(dmUUID: String, lower: String, mode: String, expected: String) async throws {
        let uuid = try await tokenVolume("vda", number: "254:0", key: [UInt8](repeating: 5, count: 64))
        let name = "luks-\(uuid)"
        disks.tree.write("/sys/class/block/dm-1/dev", "253:1\n")
        disks.tree.write("/sys/class/block/dm-1/dm/name", name + "\n")
        disks.tree.write("/sys/class/block/dm-1/dm/uuid",
                         dmUUID.replacing("{uuid}", with: uuid.filter { $0 != "-" }).replacing("{name}", with: name) + "\n")
        if lower.isEmpty { disks.tree.makeDirectory("/sys/class/block/dm-1/slaves") } else { disks.tree.write("/sys/class/block/dm-1/slaves/\(lower)", "") }
        let fetches = CallCounter()
        let results = await plan(expected: [ExpectedVolume(uuid: uuid)], mode: mode == "boot" ? .boot : .runtime)
            .run(naming: .systemd, keySource: .broker { _ in fetches.record(); return SecretBytes(copying: [UInt8](repeating: 5, count: 64)) })
        #expect(results.count == 1)
        #expect(fetches.value == 0)
        switch results.first?.status {
        case .alreadyActive?: #expect(expected == "alreadyActive")
        case .failed(let error)?:
            #expect(error.description.hasPrefix("/dev/vda: /dev/mapper/\(name) already exists and is refused: dm-1 "), "\(error)")
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.isPermanent)
        default: Issue.record("unexpected \(String(describing: results.first?.status))")
        }
    }
}
