import Foundation
import GuestGuardTestSupport
import Testing

/// `guestguard verify` on AMD's real vectors, and the simulated secure processor end to end:
/// `simulator init` → `report --simulator` → `verify` with the simulator's policy (passes) and
/// against AMD's roots (fails).
@Suite struct ReportVerifyCLITests {
    static func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!.path
    }

    func temporaryDirectory() throws -> String {
        TemporaryFileTree.shared.directory("report-verify")
    }

    /// (report, VEK, time inside validity, expected measurement prefix)
    static let vectors: [(String, String, String, String)] = [
        ("milan-v2-gce.bin", "milan-v2-gce-vcek.der", "2023-01-01T00:00:00Z", "b07af9620f3b839b47996422"),
        ("milan-v2.bin", "milan-v2-vcek.der", "2025-06-01T00:00:00Z", "a1f3930413247bb38cfc1715"),
        ("milan-v3-aws-vlek.bin", "milan-v3-aws-vlek.der", "2025-06-01T00:00:00Z", "8922ebbdd00ec2c541f36a6e"),
        ("genoa-v3.bin", "genoa-v3-vcek.der", "2025-06-01T00:00:00Z", "6a6519d757e68c2e939c9dbb"),
    ]

    @Test(arguments: vectors)
    func realVectorsVerifyAgainstAMDRoots(report: String, vek: String, time: String, measurement: String) throws {
        let result = try CLIRunner.run(["verify", Self.fixture(report), "--vcek", Self.fixture(vek), "--at", time, "--json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let doc = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(doc["schema"] as? String == "guestguard.verify/v1")
        #expect(doc["verified"] as? Bool == true)
        #expect((doc["measurement"] as? String)?.hasPrefix(measurement) == true)
        let checks = try #require(doc["checks"] as? [[String: Any]])
        #expect(checks.count == 18)
        #expect(checks.allSatisfy { $0["passed"] as? Bool == true })
    }

    @Test func policyWithTheExpectedMeasurementPassesAndDebugIsRefused() throws {
        let directory = try temporaryDirectory()
        let measurement = "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01"
        let allowDebug = "version = 1\n[report]\nmeasurements = [\"\(measurement)\"]\ndebug = \"allow\"\n"
        try allowDebug.write(toFile: directory + "/allow.toml", atomically: true, encoding: .utf8)
        let args = ["verify", Self.fixture("milan-v2-gce.bin"), "--vcek", Self.fixture("milan-v2-gce-vcek.der"), "--at", "2023-01-01T00:00:00Z"]
        let passing = try CLIRunner.run(args + ["--policy", directory + "/allow.toml"])
        #expect(passing.status == 0, "\(passing.stdout)")
        #expect(passing.stdout.contains("PASS policy"))
        // The same report under the default (debug forbidden) with a wrong measurement: both named.
        try "version = 1\n[report]\nmeasurements = [\"\(String(repeating: "ab", count: 48))\"]\n".write(toFile: directory + "/strict.toml", atomically: true, encoding: .utf8)
        let failing = try CLIRunner.run(args + ["--policy", directory + "/strict.toml"])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("FAIL policy measurements"))
        #expect(failing.stdout.contains("FAIL policy debug"))
    }

    @Test func tamperedReportAndForeignVCEKFailWithNamedChecks() throws {
        let directory = try temporaryDirectory()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("milan-v2.bin")))
        bytes[0x90] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: directory + "/flipped.bin"))
        let flipped = try CLIRunner.run(["verify", directory + "/flipped.bin", "--vcek", Self.fixture("milan-v2-vcek.der"), "--at", "2025-06-01T00:00:00Z"])
        #expect(flipped.status == 1)
        #expect(flipped.stdout.contains("FAIL report-signature"))
        let foreign = try CLIRunner.run(["verify", Self.fixture("milan-v2.bin"), "--vcek", Self.fixture("milan-v2-gce-vcek.der"), "--at", "2025-06-01T00:00:00Z"])
        #expect(foreign.status == 1)
        #expect(foreign.stdout.contains("FAIL hwID"))
        let invalid = try CLIRunner.run(["verify", Self.fixture("milan-v2.bin"), "--vcek", Self.fixture("milan-v2-vcek-invalid-new.der"), "--at", "2025-06-01T00:00:00Z"])
        #expect(invalid.status == 1)
        #expect(invalid.stdout.contains("FAIL vek-signature"))
        let expired = try CLIRunner.run(["verify", Self.fixture("milan-v3-aws-vlek.bin"), "--vcek", Self.fixture("milan-v3-aws-vlek.der"), "--at", "2026-01-01T00:00:00Z"])
        #expect(expired.status == 1)
        #expect(expired.stdout.contains("FAIL vek-validity"))
    }

    @Test func simulatedReportVerifiesOnlyUnderAPolicyNamingItsARK() throws {
        let directory = try temporaryDirectory()
        let sim = directory + "/sim"
        let initialized = try CLIRunner.run(["simulator", "init", sim, "--generation", "genoa", "--tcb", "bl=9,tee=0,snp=21,ucode=72"])
        #expect(initialized.status == 0, "\(initialized.stderr)")
        let report = try CLIRunner.run(["report", "--simulator", sim, "--nonce", "c0ffee", "--out", directory + "/report.bin", "--certs", directory + "/certs"])
        #expect(report.status == 0, "\(report.stderr)")
        let verified = try CLIRunner.run(["verify", directory + "/report.bin", "--certs", directory + "/certs", "--policy", sim + "/policy.toml"])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("VERIFIED"))
        let againstAMD = try CLIRunner.run(["verify", directory + "/report.bin", "--certs", directory + "/certs"])
        #expect(againstAMD.status == 1)
        #expect(againstAMD.stdout.contains("FAIL vek-signature"))
        // A second simulator's ARK is not the one the policy pins.
        let other = directory + "/other"
        _ = try CLIRunner.run(["simulator", "init", other, "--generation", "genoa"])
        let otherVerified = try CLIRunner.run(["verify", directory + "/report.bin", "--certs", directory + "/certs", "--policy", other + "/policy.toml"])
        #expect(otherVerified.status == 1)
    }

    /// The human output starts with what a tenant compares: each value read here straight from
    /// the report bytes at its ABI offset, independently of SNPABI.
    @Test(arguments: vectors)
    func theHumanOutputStartsWithTheTenantsFields(report: String, vek: String, time: String, measurement: String) throws {
        let result = try CLIRunner.run(["verify", Self.fixture(report), "--vcek", Self.fixture(vek), "--at", time])
        #expect(result.status == 0, "\(result.stdout)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture(report))))
        func hex(_ range: Range<Int>) -> String { bytes[range].map { String(format: "%02x", $0) }.joined() }
        func le64(_ offset: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) } }
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count > 7)
        #expect(lines[0] == "MEASUREMENT (0x090): " + hex(0x90..<0xC0))
        #expect(lines[0].contains(measurement))
        #expect(lines[1] == "REPORT_DATA (0x050): " + hex(0x50..<0x90))
        #expect(lines[2] == "HOST_DATA (0x0C0): " + hex(0xC0..<0xE0))
        let policy = le64(0x08)
        #expect(lines[3].hasPrefix("POLICY (0x008): 0x\(String(policy, radix: 16)) ABI>=\((policy >> 8) & 0xFF).\(policy & 0xFF) "))
        #expect(lines[3].contains("SMT=\((policy >> 16) & 1)") && lines[3].contains("MIGRATE_MA=\((policy >> 18) & 1)"))
        #expect(lines[3].contains("DEBUG=\((policy >> 19) & 1)") && lines[3].contains("SINGLE_SOCKET=\((policy >> 20) & 1)"))
        #expect(lines[4] == "VMPL (0x030): \(bytes[0x30])")
        #expect(lines[5].hasPrefix("REPORTED_TCB (0x180): ") && lines[5].hasSuffix("(0x\(String(le64(0x180), radix: 16)))"))
        #expect(lines[6] == "CHIP_ID (0x1A0): " + hex(0x1A0..<0x1E0))
        #expect(lines.last == "VERIFIED")
    }

    @Test func usageErrorsAreClear() throws {
        let missing = try CLIRunner.run(["verify", Self.fixture("milan-v2.bin")])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("--certs"))
        let badTime = try CLIRunner.run(["verify", Self.fixture("milan-v2.bin"), "--vcek", Self.fixture("milan-v2-vcek.der"), "--at", "yesterday"])
        #expect(badTime.stderr.contains("RFC 3339"))
        let short = try CLIRunner.run(["verify", Self.fixture("milan-v2-vcek.der"), "--vcek", Self.fixture("milan-v2-vcek.der")])
        #expect(short.status == 1)
        #expect(short.stdout.contains("malformed report"))
    }
}
