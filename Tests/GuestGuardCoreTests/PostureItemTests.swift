import CanonicalJSON
import GuestGuardCore
import GuestGuardDetection
import GuestGuardPosture
import GuestGuardPlatform
import GuestGuardTestSupport
import SNPABI
import Testing

/// Posture items over fake /proc and /sys trees.
@Suite struct PostureItemTests {
    static let rootOnDM = """
        22 27 0:21 / /proc rw,relatime - proc proc rw
        27 1 253:1 / / rw,relatime - ext4 /dev/mapper/root rw
        30 27 8:1 / /boot rw,relatime - ext4 /dev/vda1 rw
        """

    func context(_ tree: TemporaryFileTree, mode: MemoryEncryptionMode = .sevSNP) -> PostureContext {
        let msr: UInt64 = mode == .sevSNP ? 7 : mode == .sevES ? 3 : mode == .sev ? 1 : 0
        let env = DetectionEnvironment(cpuid: ScriptedCPUID.amdGuest(memoryEncryptionEAX: nil), msr: ScriptedMSR([SEVStatus.msrAddress: .value(msr)]),
                                       files: tree.fileSystem, kernelLog: ScriptedKernelLog([]))
        return PostureContext(files: tree.fileSystem, detection: EncryptionModeDetector().detect(env))
    }

    /// dm-1 (LUKS2 "root") on vda2, and optionally dm-2 (plain "swap") on vda3.
    func luksStack(_ tree: TemporaryFileTree, rootUUID: String = "CRYPT-LUKS2-0123456789abcdef0123456789abcdef-root") {
        tree.write("/sys/dev/block/253:1/dm/name", "root\n").write("/sys/dev/block/253:1/dm/uuid", rootUUID + "\n")
        tree.makeDirectory("/sys/dev/block/253:1/slaves/vda2")
        tree.write("/sys/class/block/vda2/dev", "254:2\n").makeDirectory("/sys/class/block/vda2/device")
        tree.write("/sys/class/block/dm-1/dev", "253:1\n").write("/sys/class/block/dm-1/dm/name", "root\n")
    }

    func item(_ id: String, _ context: PostureContext) -> PostureFinding {
        StatusReport.evaluate(context: context, at: Timestamp(seconds: 0)).findings.first { $0.id == id }!
    }

    @Test func rootOnLUKS2IsOK() {
        let tree = TemporaryFileTree()
        tree.write("/proc/self/mountinfo", Self.rootOnDM)
        luksStack(tree)
        let finding = item("root-encryption", context(tree))
        #expect(finding.state == .ok, "\(finding.reason)")
        #expect(finding.details["protection"] == "LUKS2")
    }

    @Test(arguments: [("CRYPT-LUKS1-0123-root", PostureState.warn), ("CRYPT-PLAIN-root", .warn), ("LVM-abcdef", .fail), ("CRYPT-VERITY-abc-root", .fail)])
    func rootOnOtherDMTargets(uuid: String, expected: PostureState) {
        let tree = TemporaryFileTree()
        tree.write("/proc/self/mountinfo", Self.rootOnDM)
        luksStack(tree, rootUUID: uuid)
        #expect(item("root-encryption", context(tree)).state == expected)
    }

    @Test func lvmOnLUKSIsOKButLUKSBesideAPlainDiskIsNot() {
        let tree = TemporaryFileTree()
        tree.write("/proc/self/mountinfo", Self.rootOnDM)
        // / on LVM dm-1 whose only PV is dm-0 = LUKS2 on vda2: encrypted.
        tree.write("/sys/dev/block/253:1/dm/name", "vg-root\n").write("/sys/dev/block/253:1/dm/uuid", "LVM-xyz\n")
        tree.makeDirectory("/sys/dev/block/253:1/slaves/dm-0")
        tree.write("/sys/class/block/dm-0/dm/name", "crypt\n").write("/sys/class/block/dm-0/dm/uuid", "CRYPT-LUKS2-aa-crypt\n")
        tree.makeDirectory("/sys/class/block/dm-0/slaves/vda2")
        tree.makeDirectory("/sys/class/block/vda2")
        #expect(item("root-encryption", context(tree)).state == .ok)
        // A second PV that is a plain disk: one leaf path is unencrypted, so the whole is.
        tree.makeDirectory("/sys/dev/block/253:1/slaves/vdb")
        tree.makeDirectory("/sys/class/block/vdb")
        #expect(item("root-encryption", context(tree)).state == .fail)
    }

    @Test func rootOnAPlainDiskFails() {
        let tree = TemporaryFileTree()
        tree.write("/proc/self/mountinfo", "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n")
        tree.makeDirectory("/sys/dev/block/254:0")
        let finding = item("root-encryption", context(tree))
        #expect(finding.state == .fail)
        #expect(finding.reason.contains("/dev/vda"))
    }

    @Test func cyclicSysfsIsUnknownNotACrash() {
        let tree = TemporaryFileTree()
        tree.write("/proc/self/mountinfo", Self.rootOnDM)
        tree.write("/sys/dev/block/253:1/dm/uuid", "LVM-x\n")
        tree.symlink("/sys/dev/block/253:1/slaves/dm-1", to: tree.root + "/sys/dev/block/253:1")
        tree.symlink("/sys/class/block/dm-1", to: tree.root + "/sys/dev/block/253:1")
        let finding = item("root-encryption", context(tree))
        #expect(finding.state == .unknown)
        #expect(finding.reason.contains("deeper than"))
    }

    @Test func swapStates() {
        let tree = TemporaryFileTree()
        tree.write("/proc/self/mountinfo", Self.rootOnDM)
        luksStack(tree)
        let header = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
        tree.write("/proc/swaps", header)
        #expect(item("swap-encryption", context(tree)).state == .ok)
        tree.write("/proc/swaps", header + "/dev/zram0                              partition\t4194300\t\t0\t\t100\n")
        #expect(item("swap-encryption", context(tree)).state == .ok)
        tree.write("/proc/swaps", header + "/swapfile                               file\t\t4194300\t\t0\t\t-2\n")
        #expect(item("swap-encryption", context(tree)).state == .ok, "a swap file on the LUKS2 root is encrypted")
        tree.write("/proc/swaps", header + "/dev/vda2                               partition\t4194300\t\t0\t\t-2\n")
        tree.makeDirectory("/sys/dev/block/254:2")
        let plain = item("swap-encryption", context(tree))
        #expect(plain.state == .fail)
        #expect(plain.reason.contains("/dev/vda2"))
    }

    @Test(arguments: [("none [integrity] confidentiality", PostureState.warn), ("none integrity [confidentiality]", .ok), ("[none] integrity confidentiality", .fail), ("[bogus]", .unknown), ("none integrity", .unknown)])
    func lockdown(text: String, expected: PostureState) {
        let tree = TemporaryFileTree()
        tree.write("/sys/kernel/security/lockdown", text + "\n")
        #expect(item("kernel-lockdown", context(tree)).state == expected)
    }

    @Test(arguments: [("0", PostureState.ok), ("1", .fail), ("438", .warn), ("8", .fail), ("176", .warn), ("x", .unknown)])
    func sysrq(value: String, expected: PostureState) {
        let tree = TemporaryFileTree()
        tree.write("/proc/sys/kernel/sysrq", value + "\n")
        #expect(item("sysrq", context(tree)).state == expected)
    }

    @Test func consoles() {
        let tree = TemporaryFileTree()
        tree.write("/sys/class/tty/console/active", "\n")
        #expect(item("kernel-consoles", context(tree)).state == .ok)
        tree.write("/sys/class/tty/console/active", "tty0 ttyS0\n")
        let finding = item("kernel-consoles", context(tree))
        #expect(finding.state == .warn)
        #expect(finding.reason.contains("ttyS0"))
    }

    @Test(arguments: [(MemoryEncryptionMode.sevSNP, PostureState.ok), (.sevES, .warn), (.sev, .fail), (.none, .fail)])
    func memoryEncryption(mode: MemoryEncryptionMode, expected: PostureState) {
        #expect(item("memory-encryption", context(TemporaryFileTree(), mode: mode)).state == expected)
    }

    @Test func exitCodesFollowTheWorstState() {
        let ok = PostureFinding(id: "a", title: "a", state: .ok, reason: "")
        let detection = EncryptionModeDetector().decide([])
        func code(_ states: [PostureState]) -> Int32 {
            StatusReport(findings: states.map { PostureFinding(id: "x", title: "x", state: $0, reason: "") } + [ok], detection: detection, generatedAt: Timestamp(seconds: 0)).exitCode
        }
        #expect(code([]) == 0)
        #expect(code([.warn]) == 1)
        #expect(code([.unknown]) == 1)
        #expect(code([.warn, .fail, .unknown]) == 2)
    }
}
