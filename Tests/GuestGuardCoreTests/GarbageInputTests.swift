import CanonicalJSON
import GuestGuardCore
import GuestGuardDetection
import GuestGuardPosture
import GuestGuardPlatform
import GuestGuardTestSupport
import SNPABI
import Testing

/// Garbage in any file detection or status reads gives "unknown"/"malformed" with a reason, never a crash.
@Suite struct GarbageInputTests {
    static let garbage: [String] = ["", "\u{0}\u{1}\u{2}", "banana\n", String(repeating: "x", count: 70_000), "-1\n", "[[[\n", "\u{FFFD}\u{FFFD}"]

    func environment(_ tree: TemporaryFileTree) -> DetectionEnvironment {
        DetectionEnvironment(cpuid: ScriptedCPUID.amdGuest(memoryEncryptionEAX: nil), msr: ScriptedMSR(), files: tree.fileSystem,
                             kernelLog: ScriptedKernelLog(["garbage \u{0}", "Memory Encryption Features active:"]))
    }

    @Test(arguments: garbage)
    func detectionSourcesWithGarbage(content: String) {
        let tree = TemporaryFileTree()
        tree.write("/proc/cpuinfo", content)
        tree.write("/sys/devices/system/cpu/sev/vmpl", content)
        tree.write("/sys/kernel/config/tsm/report/x/provider", content)
        tree.write("/sys/kernel/security/secrets/coco", content)  // a file where a directory belongs
        let report = EncryptionModeDetector().detect(environment(tree))
        let statuses = Dictionary(uniqueKeysWithValues: report.readings.map { ($0.source, $0.status) })
        #expect(statuses[.cpuinfoFlags] == .malformed)
        #expect(statuses[.sevVMPL] == .malformed)
        #expect(statuses[.cocoSecrets] == .malformed)
        #expect(!report.isConsistent)
        #expect(report.mode == .none)
        _ = try? report.json.canonicalBytes()
    }

    @Test(arguments: garbage)
    func postureItemsWithGarbage(content: String) {
        let tree = TemporaryFileTree()
        for path in ["/proc/self/mountinfo", "/proc/swaps", "/sys/kernel/security/lockdown", "/proc/sys/kernel/sysrq", "/sys/class/tty/console/active"] {
            tree.write(path, content)
        }
        let context = PostureContext(files: tree.fileSystem, detection: EncryptionModeDetector().detect(environment(tree)))
        let report = StatusReport.evaluate(context: context, at: Timestamp(seconds: 0))
        for id in ["root-encryption", "swap-encryption", "kernel-lockdown", "sysrq"] {
            let finding = report.findings.first { $0.id == id }!
            #expect(finding.state == .unknown, "\(id) with \(content.prefix(10).debugDescription): \(finding.reason)")
            #expect(!finding.reason.isEmpty)
        }
    }

    @Test func missingFilesAreUnknownWithTheirPath() {
        let tree = TemporaryFileTree()
        let context = PostureContext(files: tree.fileSystem, detection: EncryptionModeDetector().detect(environment(tree)))
        let report = StatusReport.evaluate(context: context, at: Timestamp(seconds: 0))
        let sysrq = report.findings.first { $0.id == "sysrq" }!
        #expect(sysrq.state == .unknown)
        #expect(sysrq.reason.contains("/proc/sys/kernel/sysrq"))
        #expect(sysrq.reason.contains("ENOENT"))
    }
}
