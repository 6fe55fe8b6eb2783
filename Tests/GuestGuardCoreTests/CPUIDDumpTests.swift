import GuestGuardCore
import GuestGuardDetection
import GuestGuardPosture
import Testing

@Suite struct CPUIDDumpTests {
    @Test func parsesAndAnswers() throws {
        let dump = try CPUIDDump(parsing: "# comment\n0x8000001f 0x0 0x3b 0x173 0x0 0x0  # SNP\n\n0 0 10 68747541 444d4163 69746e65\n")
        #expect(dump.cpuid(leaf: 0x8000_001F, subleaf: 0)?.eax == 0x3B)
        #expect(dump.cpuid(leaf: 0, subleaf: 0)?.ebx == 0x6874_7541)
        #expect(dump.cpuid(leaf: 7, subleaf: 0)?.eax == 0, "unrecorded leaves read as zero")
    }

    @Test(arguments: ["0x1 0x0 0x0", "0x1 0x0 0x0 0x0 0x0 zz", "0x1 0x0 0x0 0x0 0x0 0x100000000"])
    func rejects(line: String) {
        #expect(throws: CPUIDDump.ParseError.self) { try CPUIDDump(parsing: "0 0 0 0 0 0\n" + line) }
        do { _ = try CPUIDDump(parsing: "0 0 0 0 0 0\n" + line) } catch { #expect(error.line == 2) }
    }
}
