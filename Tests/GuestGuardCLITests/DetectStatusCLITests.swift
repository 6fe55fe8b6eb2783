import Foundation
import GuestGuardTestSupport
import Testing

/// The executable end to end: `detect` and `status` against a fake tree (`--root`), checked
/// against the documented schemas (docs/schemas.md) with Foundation's independent JSON parser.
@Suite struct DetectStatusCLITests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// An SNP guest tree: the MSR file says SEV|ES|SNP, the drivers are present, root on LUKS2.
    func snpTree() -> TemporaryFileTree {
        let tree = TemporaryFileTree()
        tree.writeMSR(address: 0xC001_0131, value: 0b111)
        tree.write("/cpuid.txt", """
            # leaf subleaf eax ebx ecx edx
            0x0 0x0 0x10 0x68747541 0x444d4163 0x69746e65
            0x1 0x0 0x00a00f11 0x0 0x80000000 0x0
            0x40000000 0x0 0x40000001 0x4b4d564b 0x564b4d56 0x0000004d
            0x80000000 0x0 0x80000021 0x0 0x0 0x0
            0x8000001f 0x0 0x0001003b 0x00000173 0x0 0x0
            """)
        tree.makeDirectory("/sys/devices/platform/sev-guest")
        tree.write("/sys/kernel/config/tsm/report/e/provider", "sev_guest\n")
        tree.write("/proc/cpuinfo", "flags\t: fpu hypervisor sev sev_es sev_snp\n")
        tree.write("/var/log/dmesg", "[    0.0] Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP\n")
        tree.write("/proc/self/mountinfo", "27 1 253:1 / / rw - ext4 /dev/mapper/root rw\n")
        tree.write("/sys/dev/block/253:1/dm/uuid", "CRYPT-LUKS2-00112233445566778899aabbccddeeff-root\n")
        tree.write("/sys/dev/block/253:1/dm/name", "root\n")
        tree.makeDirectory("/sys/dev/block/253:1/slaves/vda2").makeDirectory("/sys/class/block/vda2")
        tree.write("/proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n")
        tree.write("/sys/kernel/security/lockdown", "none integrity [confidentiality]\n")
        tree.write("/proc/sys/kernel/sysrq", "0\n")
        tree.write("/sys/class/tty/console/active", "\n")
        return tree
    }

    @Test func detectJSONMatchesSchema() throws {
        let tree = snpTree()
        let result = try CLIRunner.run(["detect", "--json", "--root", tree.root])
        #expect(result.status == 0, "\(result.stderr)")
        let doc = try json(result.stdout)
        #expect(Set(doc.keys) == ["schema", "mode", "basis", "decidedBy", "consistent", "supported", "vtom", "svsm", "otherTEE", "inconsistencies", "notes", "sources"])
        #expect(doc["schema"] as? String == "guestguard.detect/v1")
        #expect(doc["mode"] as? String == "sev-snp")
        #expect(doc["basis"] as? String == "hardware-enforced")
        #expect(doc["decidedBy"] as? String == "sev-status-msr")
        #expect(doc["consistent"] as? Bool == true)
        let sources = try #require(doc["sources"] as? [[String: Any]])
        #expect(sources.count == 9)
        for source in sources {
            #expect(Set(source.keys) == ["id", "label", "trust", "status", "mode", "summary", "values"])
            #expect(["hardware-enforced", "kernel-reported", "hypervisor-reported"].contains(source["trust"] as? String ?? ""))
            #expect(["observed", "absent", "unavailable", "malformed"].contains(source["status"] as? String ?? ""))
        }
    }

    @Test func statusJSONAndExitCode() throws {
        let tree = snpTree()
        let result = try CLIRunner.run(["status", "--json", "--root", tree.root])
        let doc = try json(result.stdout)
        #expect(doc["schema"] as? String == "guestguard.status/v1")
        #expect(Set(doc.keys) == ["schema", "generatedAt", "overall", "mode", "items"])
        let items = try #require(doc["items"] as? [[String: Any]])
        #expect(items.map { $0["id"] as? String } == ["memory-encryption", "root-encryption", "swap-encryption", "kernel-lockdown", "sysrq", "kernel-consoles"])
        #expect(items.allSatisfy { Set($0.keys) == ["id", "title", "state", "reason", "details"] })
        #expect(doc["overall"] as? String == "ok", "\(items)")
        #expect(result.status == 0)

        tree.write("/proc/sys/kernel/sysrq", "1\n")
        let failing = try CLIRunner.run(["status", "--root", tree.root])
        #expect(failing.status == 2)
        #expect(failing.stdout.contains("FAIL"))
        #expect(failing.stdout.contains("kernel.sysrq=1"))
    }

    @Test func detectReportsInconsistencyWithExitOne() throws {
        let tree = TemporaryFileTree()
        tree.writeMSR(address: 0xC001_0131, value: 0)
        tree.makeDirectory("/sys/devices/platform/sev-guest")
        let result = try CLIRunner.run(["detect", "--root", tree.root])
        #expect(result.status == 1)
        #expect(result.stdout.contains("inconsistent:"))
    }
}
