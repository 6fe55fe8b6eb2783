import Foundation
import GuestGuardTestSupport
import Testing

/// Acceptance (issue 8): `guestguard get-resource --simulator DIR --tpm swtpm:…` against the
/// `guestguard-broker` process sends a quote the broker verifies (audit `"tpm":"quote verified…"`);
/// a policy pin the quoted PCR does not meet is refused, naming `tpm-pcr-policy`.
extension BrokerCLITests {
    /// Re-sets default/disk/root's policy to the simulator's plus `tpm`.
    func setTPMPolicy(_ dir: String, _ tpm: String) throws {
        let text = try String(contentsOfFile: dir + "/sim/policy.toml", encoding: .utf8) + "\n" + tpm + "\n"
        try text.write(toFile: dir + "/tpm-policy.toml", atomically: true, encoding: .utf8)
        let set = try runBroker(["policy", "set", "default/disk/root", dir + "/tpm-policy.toml", "--data", dir + "/data"])
        #expect(set.status == 0, "\(set.stderr)")
    }

    @Test(.enabled(if: SoftwareTPM.isInstalled, "swtpm is not installed"))
    func getResourceWithATPMSendsAQuoteTheBrokerVerifies() throws {
        let (dir, key) = try setUp()
        try setTPMPolicy(dir, "[tpm]\nquote = \"require\"")
        let swtpm = try SoftwareTPM()
        defer { withExtendedLifetime(swtpm) {} }
        let broker = try BrokerProcess(data: dir + "/data", extra: ["--audit", dir + "/audit.log"])
        let fetched = try CLIRunner.run(["get-resource"] + broker.trust + ["--resource", "default/disk/root",
                                         "--simulator", dir + "/sim", "--tpm", swtpm.tcti, "--out", dir + "/fetched.key"])
        // Without --tpm the same policy refuses: the quote is required.
        let plain = try CLIRunner.run(["get-resource"] + broker.trust + ["--resource", "default/disk/root",
                                       "--simulator", dir + "/sim", "--out", dir + "/plain.key", "--attempts", "1"])
        let brokerOutput = broker.stop()
        #expect(fetched.status == 0, "\(fetched.stderr)\n\(brokerOutput)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/fetched.key")) == key)
        #expect(plain.status != 0)
        let audit = try String(contentsOfFile: dir + "/audit.log", encoding: .utf8)
        #expect(audit.contains("\"tpm\":\"quote verified, pcr15=" + String(repeating: "0", count: 64) + "\""), "\(audit)")
        #expect(audit.contains("tpm-quote-required"))
        #expect(audit.components(separatedBy: "\"decision\":\"release\"").count - 1 == 1)
    }

    @Test(.enabled(if: SoftwareTPM.isInstalled, "swtpm is not installed"))
    func aPinnedPCRTheQuoteDoesNotMeetIsRefusedByName() throws {
        let (dir, _) = try setUp()
        try setTPMPolicy(dir, "[tpm]\n[tpm.pcrs]\n15 = \"\(String(repeating: "ee", count: 32))\"")
        let swtpm = try SoftwareTPM()
        defer { withExtendedLifetime(swtpm) {} }
        let broker = try BrokerProcess(data: dir + "/data", extra: ["--audit", dir + "/audit.log"])
        let fetched = try CLIRunner.run(["get-resource"] + broker.trust + ["--resource", "default/disk/root",
                                         "--simulator", dir + "/sim", "--tpm", swtpm.tcti, "--out", dir + "/fetched.key", "--attempts", "1"])
        _ = broker.stop()
        #expect(fetched.status != 0)
        #expect(fetched.stderr.contains("PolicyDeny"), "\(fetched.stderr)")
        let audit = try String(contentsOfFile: dir + "/audit.log", encoding: .utf8)
        #expect(audit.contains("tpm-pcr-policy: PCR 15 is " + String(repeating: "0", count: 64)), "\(audit)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/fetched.key"))
    }

    @Test func anUnknownTCTIIsAUsageError() throws {
        let result = try CLIRunner.run(["get-resource", "--broker", "https://127.0.0.1:9", "--broker-pin", String(repeating: "ab", count: 32), "--resource", "default/disk/root", "--tpm", "cmd:/bin/sh"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--tpm"))
    }
}

extension UnlockCLITests {
    /// `unlock --tpm`: the broker requires and verifies the quote; PCR 15 then holds
    /// SHA-256(0³² ‖ SHA-256(document)), read back with tpm2-tools and recomputed with Python.
    @Test(.enabled(if: SoftwareTPM.isInstalled, "swtpm is not installed"))
    func unlockWithATPMMeasuresTheUnlockIntoPCR15() throws {
        let brokerCLI = BrokerCLITests()
        let (dir, _) = try brokerCLI.setUp()
        try brokerCLI.setTPMPolicy(dir, "[tpm]\nquote = \"require\"")
        let swtpm = try SoftwareTPM()
        defer { withExtendedLifetime(swtpm) {} }
        let server = try BrokerProcess(data: dir + "/data", extra: ["--audit", dir + "/audit.log"])
        defer { _ = server.stop() }
        let image = try makeImage(dir + "/disk.img", key: dir + "/disk.key", broker: server.url)

        let without = try CLIRunner.run(["unlock", image, "--verify-only", "--simulator", dir + "/sim", "--header-copies", dir + "/copies"] + server.trust)
        #expect(without.status != 0, "the policy requires a quote")
        let unlocked = try CLIRunner.run(["unlock", image, "--verify-only", "--simulator", dir + "/sim", "--header-copies", dir + "/copies",
                                          "--tpm", swtpm.tcti] + server.trust)
        #expect(unlocked.status == 0, "\(unlocked.stdout)\(unlocked.stderr)")
        #expect(unlocked.stdout.contains("measured the unlock into PCR 15: 0000000000000000…"))

        let log = try String(contentsOfFile: dir + "/copies/unlock-measurement.json", encoding: .utf8)
        #expect(log.contains("\"resource\":\"default/disk/root\"") && log.contains("\"broker\":\"\(server.url)\""))
        let expected = try PythonPeer.run("""
            import sys, json, hashlib
            event = json.loads(sys.stdin.read().splitlines()[0])
            assert hashlib.sha256(json.dumps(event["document"], separators=(",", ":"), sort_keys=True).encode()).hexdigest() == event["digest"]
            print(hashlib.sha256(bytes(32) + bytes.fromhex(event["digest"])).hexdigest())
            """, input: Array(log.utf8)).trimmingCharacters(in: .whitespacesAndNewlines)
        let pcrread = try #require(SoftwareTPM.executable("tpm2_pcrread"), "tpm2-tools is required with swtpm")
        let read = try CLIRunner.run(["-T", swtpm.tcti, "sha256:15"], executable: URL(fileURLWithPath: pcrread))
        #expect(read.stdout.lowercased().contains("0x" + expected), "\(read.stdout)\(read.stderr)")
        let audit = try String(contentsOfFile: dir + "/audit.log", encoding: .utf8)
        #expect(audit.contains("\"tpm\":\"quote verified, pcr15="))
    }
}
