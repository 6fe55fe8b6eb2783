import GuestGuardCore
import GuestGuardDetection
import GuestGuardPosture
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import SNPABI
import Testing

/// The detection scenarios, each driven through a temporary /proc, /sys, /dev tree and
/// scripted CPUID / SEV_STATUS answers. Each asserts the decided mode, its basis, and the flags.
@Suite struct DetectionScenarioTests {
    /// CPUID 0x8000001F EAX bits: SEV (1), SEV-ES (3), SNP (4), VMPL (5) and friends.
    static let eaxSEV: UInt32 = 0b10
    static let eaxSEVES: UInt32 = 0b1010
    static let eaxSNP: UInt32 = 0b11_1011
    static let featureLineSNP = "[    0.000000] Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP"

    func detect(_ tree: TemporaryFileTree, cpuid: ScriptedCPUID, msr: ScriptedMSR, log: [String] = []) -> DetectionReport {
        tree.write("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme hypervisor\n")
        let environment = DetectionEnvironment(cpuid: cpuid, msr: msr, files: tree.fileSystem, kernelLog: ScriptedKernelLog(log))
        return EncryptionModeDetector().detect(environment)
    }

    func reading(_ report: DetectionReport, _ source: SignalSource) -> SignalReading {
        report.readings.first { $0.source == source }!
    }

    @Test func bareMetal() {
        let tree = TemporaryFileTree()
        // A host CPU advertises SME/SEV/SNP capabilities; SEV_STATUS reads 0 on the host.
        let report = detect(tree, cpuid: .amdGuest(memoryEncryptionEAX: Self.eaxSNP | 1, hypervisor: nil), msr: ScriptedMSR([SEVStatus.msrAddress: .value(0)]))
        #expect(report.mode == .none)
        #expect(report.isConsistent, "host capabilities are not a guest claim: \(report.inconsistencies)")
        #expect(reading(report, .cpuid).impliedMode == nil)
        #expect(reading(report, .cpuid).summary.contains("host CPU capabilities"))
    }

    @Test func plainKVMGuest() {
        let tree = TemporaryFileTree()
        let report = detect(tree, cpuid: .amdGuest(memoryEncryptionEAX: nil), msr: ScriptedMSR(fallback: .error(ErrnoName.EIO)))
        #expect(report.mode == .none)
        #expect(report.isConsistent)
        #expect(reading(report, .sevStatusMSR).status == .unavailable)
        #expect(reading(report, .sevStatusMSR).summary.contains("#GP"))
        #expect(reading(report, .cpuid).status == .absent)
        #expect(reading(report, .sevGuestDevice).status == .absent)
    }

    @Test func sev() {
        let tree = TemporaryFileTree()
        tree.write("/sys/kernel/security/secrets/coco/736869e5-84f0-4973-92ec-06879ce3da0b", "secret")
        let report = detect(tree, cpuid: .amdGuest(memoryEncryptionEAX: Self.eaxSEV), msr: ScriptedMSR([SEVStatus.msrAddress: .value(1)]),
                            log: ["[    0.000000] Memory Encryption Features active: AMD SEV"])
        #expect(report.mode == .sev)
        #expect(report.basis == .kernelReported, "plain SEV's MSR is interceptable; the kernel line outranks it")
        #expect(reading(report, .sevStatusMSR).trust == .hypervisorReported)
        #expect(reading(report, .cocoSecrets).status == .observed)
        #expect(report.isConsistent)
    }

    @Test func sevES() {
        let tree = TemporaryFileTree()
        let report = detect(tree, cpuid: .amdGuest(memoryEncryptionEAX: Self.eaxSEVES), msr: ScriptedMSR([SEVStatus.msrAddress: .value(0b11)]),
                            log: ["Memory Encryption Features active: AMD SEV SEV-ES"])
        #expect(report.mode == .sevES)
        #expect(report.basis == .hardwareEnforced)
        #expect(report.decidingSource == .sevStatusMSR)
        #expect(report.isConsistent)
    }

    @Test func snpWithConfigfsTSM() {
        let tree = TemporaryFileTree()
        tree.makeDirectory("/sys/devices/platform/sev-guest")
        tree.makeCharacterDevice("/dev/sev-guest", major: 10, minor: 124)
        tree.write("/sys/kernel/config/tsm/report/probe0/provider", "sev_guest\n")
        tree.write("/sys/kernel/config/tsm/report/probe0/privlevel_floor", "0\n")
        tree.write("/sys/devices/system/cpu/sev/vmpl", "0\n")
        let report = detect(tree, cpuid: .amdGuest(memoryEncryptionEAX: Self.eaxSNP), msr: ScriptedMSR([SEVStatus.msrAddress: .value(0b111 | 1 << 7)]),
                            log: [Self.featureLineSNP, "[    0.000000] SEV: Status: SEV SEV-ES SEV-SNP DebugSwap"])
        #expect(report.mode == .sevSNP)
        #expect(report.basis == .hardwareEnforced)
        #expect(report.isConsistent, "\(report.inconsistencies)")
        #expect(report.vTOM == false)
        #expect(report.svsm == false)
        #expect(reading(report, .configfsTSM).impliedMode == .sevSNP)
        #expect(reading(report, .sevGuestDevice).status == .observed)
    }

    @Test func snpWithOnlyDevSevGuest() {
        let tree = TemporaryFileTree()
        tree.makeCharacterDevice("/dev/sev-guest", major: 10, minor: 124)
        let report = detect(tree, cpuid: .amdGuest(memoryEncryptionEAX: Self.eaxSNP), msr: ScriptedMSR(fallback: .error(ErrnoName.ENOENT)))
        #expect(report.mode == .sevSNP)
        #expect(report.basis == .kernelReported)
        #expect(report.decidingSource == .sevGuestDevice)
        #expect(reading(report, .configfsTSM).status == .absent)
        #expect(report.notes.contains { $0.contains("modprobe msr") })
    }

    @Test func snpWithVTOM() {
        let tree = TemporaryFileTree()
        tree.write("/sys/devices/system/cpu/sev/vmpl", "2\n")
        let raw: UInt64 = 0b111 | 1 << 3 | 1 << 4
        let report = detect(tree, cpuid: .amdGuest(memoryEncryptionEAX: nil, hypervisor: "Microsoft Hv"), msr: ScriptedMSR([SEVStatus.msrAddress: .value(raw)]),
                            log: [Self.featureLineSNP, "SEV: Status: SEV SEV-ES SEV-SNP vTom ReflectVC"])
        #expect(report.mode == .sevSNP)
        #expect(report.vTOM == true)
        #expect(report.svsm == true)
        // Azure-style: leaf 0x8000001F is hidden. Absence is not a contradiction.
        #expect(reading(report, .cpuid).status == .absent)
        #expect(report.isConsistent, "\(report.inconsistencies)")
    }

    @Test func cpuidContradictsSEVStatus() {
        let tree = TemporaryFileTree()
        let report = detect(tree, cpuid: .amdGuest(memoryEncryptionEAX: Self.eaxSNP), msr: ScriptedMSR([SEVStatus.msrAddress: .value(0)]))
        #expect(report.mode == .none)
        #expect(!report.isConsistent)
        #expect(report.inconsistencies == [
            "inconsistent: hypervisor-reported CPUID 0x8000001F contradicts SEV_STATUS MSR 0xC0010131 "
                + "(CPUID 0x8000001F says SEV-SNP, SEV_STATUS MSR 0xC0010131 says none)",
        ])
    }

    @Test(arguments: [(ErrnoName.ENOENT, "modprobe msr"), (ErrnoName.EACCES, "CAP_SYS_RAWIO"), (ErrnoName.EPERM, "CAP_SYS_RAWIO"), (ErrnoName.EIO, "#GP")])
    func msrUnavailable(errno: Int32, hint: String) {
        let tree = TemporaryFileTree()
        let report = detect(tree, cpuid: .amdGuest(memoryEncryptionEAX: nil), msr: ScriptedMSR(fallback: .error(errno)))
        let msr = reading(report, .sevStatusMSR)
        #expect(msr.status == .unavailable)
        #expect(msr.summary.contains(hint))
        #expect(report.mode == .none)
    }

    @Test func msrThroughTheRealDeviceReader() throws {
        let tree = TemporaryFileTree()
        let reader = DevCPUMSRReader(root: tree.root)
        #expect(throws: PlatformError.self) { try reader.readMSR(SEVStatus.msrAddress, cpu: 0) }
        tree.writeMSR(address: SEVStatus.msrAddress, value: 0b111 | 1 << 3)
        #expect(try reader.readMSR(SEVStatus.msrAddress, cpu: 0) == 0b1111)
        // A file too short for the offset is a short read, reported as EIO.
        #expect(throws: PlatformError.self) { try reader.readMSR(0xC001_0200, cpu: 0) }
    }

    @Test func intelTDXIsNotSupported() {
        let tree = TemporaryFileTree()
        var leaves = ScriptedCPUID.amdGuest(memoryEncryptionEAX: nil).leaves
        leaves[0] = ScriptedCPUID.vendorLeaf("GenuineIntel", maxLeaf: 0x23)
        let tdx = ScriptedCPUID.vendorLeaf("IntelTDX    ")
        leaves[0x21] = CPUIDResult(eax: 0, ebx: tdx.ebx, ecx: tdx.ecx, edx: tdx.edx)
        let report = detect(tree, cpuid: ScriptedCPUID(leaves), msr: ScriptedMSR(), log: ["Memory Encryption Features active: Intel TDX"])
        #expect(report.otherTEE == "intel-tdx")
        #expect(!report.isSupported)
        #expect(report.notes.contains { $0.contains("not supported") })
    }
}
