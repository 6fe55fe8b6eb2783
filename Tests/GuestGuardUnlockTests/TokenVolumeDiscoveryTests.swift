#if canImport(Glibc)
import Glibc
#endif
import GuestGuardCore
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerTestSupport
import Testing

/// Discovery and `UnlockPlan` on a fake root: `/sys/class/block` entries written by the test,
/// and `/dev/<name>` nodes that are real LUKS2 image files (or not LUKS at all).
@Suite(.serialized) struct TokenVolumeDiscoveryTests {
    let disks = LUKSTestVolumes()
    var files: HostFileSystem { disks.tree.fileSystem }

    func blockDevice(_ name: String, number: String, sectors: Int = 65536) {
        disks.tree.write("/sys/class/block/\(name)/dev", number + "\n")
        disks.tree.write("/sys/class/block/\(name)/size", "\(sectors)\n")
    }

    /// A LUKS2 volume at /dev/<name> formatted with `key` and our token.
    @discardableResult
    func tokenVolume(_ name: String, number: String, key: [UInt8]) async throws -> VolumeFormat.Outcome {
        blockDevice(name, number: number)
        let path = disks.blankFile("/dev/\(name)")
        let format = VolumeFormat(volumes: disks.volumes, probe: CryptsetupDeviceProbe(logger: disks.logger), headerCheck: StandardLUKS2HeaderCheck())
        return try await format.format(device: path, token: LUKSTestVolumes.token, machineKey: { SecretBytes(copying: key) }, recoveryPassphrase: nil)
    }

    /// Copies the 16 MiB header area of one image file into a new one (same LUKS UUID).
    func cloneHeader(from source: String, to name: String, number: String) {
        blockDevice(name, number: number)
        let target = disks.blankFile("/dev/\(name)")
        let (input, output) = (open(disks.tree.root + "/dev/\(source)", O_RDONLY), open(target, O_WRONLY))
        defer { close(input); close(output) }
        var buffer = [UInt8](repeating: 0, count: 16 << 20)
        let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
        _ = buffer.withUnsafeBytes { write(output, $0.baseAddress, count) }
    }

    /// loop0: ours. loop1: LUKS2 without our token. vda: not LUKS. sr0: empty. dm-0: an opened
    /// dm-crypt mapping (plaintext; skipped even though it carries a header). loop2: a malformed
    /// guestguard token. loop3 + loop4: the same LUKS UUID twice.
    func buildTree(key: [UInt8]) async throws -> String {
        let ours = try await tokenVolume("loop0", number: "7:0", key: key)
        blockDevice("loop1", number: "7:1")
        try disks.passphraseImage("/dev/loop1")
        blockDevice("vda", number: "254:0")
        disks.tree.write("/dev/vda", bytes: [UInt8](repeating: 0, count: 8192))
        blockDevice("sr0", number: "11:0", sectors: 0)
        disks.tree.write("/dev/sr0", bytes: [])
        try await tokenVolume("dm-0", number: "253:0", key: key)
        disks.tree.write("/sys/class/block/dm-0/dm/uuid", "CRYPT-LUKS2-0123-inner\n")
        blockDevice("loop2", number: "7:2")
        let malformed = try disks.passphraseImage("/dev/loop2")
        try CryptDevice.loaded(malformed, logger: disks.logger).setTokenJSON(#"{"type":"guestguard","keyslots":["0"]}"#)
        try await tokenVolume("loop3", number: "7:3", key: key)
        cloneHeader(from: "loop3", to: "loop4", number: "7:4")
        return ours.uuid
    }

    @Test func findsExactlyTheVolumesCarryingAWellFormedTokenAndNamesTheRest() async throws {
        let uuid = try await buildTree(key: [UInt8](repeating: 1, count: 64))
        let found = TokenVolumeDiscovery(files: files, probe: CryptsetupDeviceProbe(root: disks.tree.root, logger: disks.logger)).discover()
        #expect(found.volumes.map(\.device) == ["/dev/loop0"])
        #expect(found.volumes.first?.uuid == uuid)
        #expect(found.volumes.first?.defaultName == "luks-\(uuid)")
        #expect(found.volumes.first?.token.keyslot == 0)
        #expect(found.problems.map(\.device) == ["/dev/loop2", "/dev/loop3", "/dev/loop4"])
        #expect(found.problems[0].reason.contains("guestguard token"))
        #expect(found.problems[1].reason.contains("also on /dev/loop4"))
    }

    @Test func planVerifiesEachVolumeWithItsOwnHeaderCheckAndReportsEveryDevice() async throws {
        let broker = try BrokerHarness(jwe: true)
        let keys = BrokerKeys(broker)
        _ = try await buildTree(key: broker.diskKey)
        let plan = UnlockPlan(discovery: TokenVolumeDiscovery(files: files, probe: CryptsetupDeviceProbe(root: disks.tree.root, logger: disks.logger)),
                              unlock: disks.unlocker(), deviceRoot: disks.tree.root)
        let results = plan.run(naming: .verifyOnly, keySource: .broker { token in try keys.key(for: token) })
        #expect(results.map(\.device) == ["/dev/loop2", "/dev/loop3", "/dev/loop4", "/dev/loop0"])
        #expect(results.map(\.succeeded) == [false, false, false, true])
        guard case .unlocked(let outcome) = results[3].status else { Issue.record("loop0 not verified"); return }
        #expect(outcome.keyslot == 0)
        #expect(results[3].name == nil)
        #expect(broker.audit.all.filter { $0.decision == .release }.count == 1, "refused devices never ask the broker")
    }

    @Test func anExistingMappingIsLeftAloneSoThePlanCanBeRetried() async throws {
        let uuid = try await tokenVolume("vdb", number: "254:16", key: [UInt8](repeating: 2, count: 64)).uuid
        disks.tree.write("/sys/class/block/dm-1/dev", "253:1\n")
        disks.tree.write("/sys/class/block/dm-1/size", "32768\n")
        disks.tree.write("/sys/class/block/dm-1/dm/name", "luks-\(uuid)\n")
        disks.tree.write("/sys/class/block/dm-1/dm/uuid", "CRYPT-LUKS2-\(uuid.filter { $0 != "-" })-luks-\(uuid)\n")
        disks.tree.write("/sys/class/block/dm-1/slaves/vdb", "")
        let plan = UnlockPlan(discovery: TokenVolumeDiscovery(files: files, probe: CryptsetupDeviceProbe(root: disks.tree.root, logger: disks.logger)),
                              unlock: disks.unlocker(), deviceRoot: disks.tree.root)
        let results = plan.run(naming: .systemd, keySource: .broker { _ in
            Issue.record("no key is needed for an active mapping")
            return SecretBytes(copying: [0])
        })
        #expect(results.count == 1)
        #expect(results.first?.name == "luks-\(uuid)")
        guard case .alreadyActive = results.first?.status else { Issue.record("expected alreadyActive"); return }
    }

    /// A header whose UUID would make a strange device-mapper name (the host writes the header).
    @Test(arguments: ["../../../x", "luks uuid", "", String(repeating: "a", count: 41)])
    func aUUIDThatIsNotOneIsRefused(uuid: String) {
        blockDevice("vdc", number: "254:32")
        disks.tree.write("/dev/vdc", bytes: [0])
        let probe = FakeLUKSDeviceProbe(listings: ["/dev/vdc": LUKS2TokenListing(uuid: uuid, tokens: [0: LUKSTestVolumes.token.jsonText])])
        let found = TokenVolumeDiscovery(files: files, probe: probe).discover()
        #expect(found.volumes.isEmpty)
        #expect(found.problems.map(\.device) == ["/dev/vdc"])
        #expect(found.problems.first?.reason.contains("is not a UUID") == true)
    }

    @Test(arguments: [("Character devices:\n 10 misc\n236 device-mapper\n", true), ("236 device-mapper-ish\n 10 misc\n", false), (nil, false)] as [(String?, Bool)])
    func deviceMapperIsDetectedFromProcMisc(misc: String?, expected: Bool) {
        if let misc { disks.tree.write("/proc/misc", misc) }
        #expect(DeviceMapperSupport.isAvailable(files: files) == expected)
    }
}

/// Answers for given devices as if they were LUKS2 with the given UUID and tokens.
struct FakeLUKSDeviceProbe: LUKSDeviceProbe {
    let listings: [String: LUKS2TokenListing]
    func luksVersion(device: String) throws(LUKSVolumeError) -> Int? { listings[device] == nil ? nil : 2 }
    func luks2Tokens(device: String) throws(LUKSVolumeError) -> LUKS2TokenListing {
        guard let listing = listings[device] else { throw LUKSVolumeError(operation: "crypt_load", device: device, errno: 22, message: nil) }
        return listing
    }
}
