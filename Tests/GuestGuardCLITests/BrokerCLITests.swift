import Foundation
import GuestGuardLinuxProcesses
import GuestGuardTestSupport
import Testing

/// `guestguard-broker` and `guestguard get-resource` as separate processes over loopback: the
/// guest obtains the key with a simulated report; the audit shows one release and never the key;
/// hostile HTTP gets a 4xx and the broker keeps serving.
@Suite(.serialized) struct BrokerCLITests {
    func temporaryDirectory() throws -> String {
        TemporaryFileTree.shared.directory("broker-cli")
    }

    func runBroker(_ arguments: [String]) throws -> CLIRunner.Outcome {
        try CLIRunner.run(arguments, executable: BrokerProcess.executable)
    }

    /// A data directory holding default/disk/root with the simulator's policy, and the simulator.
    func setUp() throws -> (dir: String, key: Data) {
        let dir = try temporaryDirectory()
        #expect(try CLIRunner.run(["simulator", "init", dir + "/sim"]).status == 0)
        let key = Data((0..<64).map { _ in UInt8.random(in: 0...255) })
        try key.write(to: URL(fileURLWithPath: dir + "/disk.key"))
        let imported = try runBroker(["key", "import", "default/disk/root", dir + "/disk.key", "--data", dir + "/data"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let policy = try runBroker(["policy", "set", "default/disk/root", dir + "/sim/policy.toml", "--data", dir + "/data"])
        #expect(policy.status == 0, "\(policy.stderr)")
        return (dir, key)
    }

    @Test func guestObtainsTheKeyAndTheAuditShowsOneRelease() throws {
        let (dir, key) = try setUp()
        let listed = try runBroker(["key", "list", "--data", dir + "/data"])
        #expect(listed.stdout.contains("default/disk/root\tkey: yes\tpolicy: yes"))
        let shown = try runBroker(["policy", "show", "default/disk/root", "--data", dir + "/data"])
        #expect(shown.stdout.contains("ark-fingerprints"))
        let broker = try BrokerProcess(data: dir + "/data", extra: ["--audit", dir + "/audit.log"])
        let fetched = try CLIRunner.run(["get-resource"] + broker.trust + ["--resource", "default/disk/root",
                                         "--simulator", dir + "/sim", "--out", dir + "/fetched.key"])
        let brokerOutput = broker.stop()
        #expect(fetched.status == 0, "\(fetched.stderr)\n\(brokerOutput)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/fetched.key")) == key)
        let audit = try String(contentsOfFile: dir + "/audit.log", encoding: .utf8)
        #expect(audit.components(separatedBy: "\"decision\":\"release\"").count - 1 == 1)
        let hex = key.map { String(format: "%02x", $0) }.joined()
        for log in [audit, brokerOutput, fetched.stderr, fetched.stdout] {
            #expect(!log.contains(hex))
            #expect(!log.contains(key.base64EncodedString()))
        }
    }

    /// Issue 12, defect 10: `policy set` refuses a policy that leaves the TCB open without saying
    /// so; `policy show` lists what a policy leaves unconstrained, as comments.
    @Test func policySetRefusesAnImplicitlyOpenTCBAndShowListsWhatIsOpen() throws {
        let (dir, _) = try setUp()
        let measurement = String(repeating: "ab", count: 48)
        let open = "version = 1\n[report]\nmeasurements = [\"\(measurement)\"]\n"
        try open.write(toFile: dir + "/open.toml", atomically: true, encoding: .utf8)
        let refused = try runBroker(["policy", "set", "default/disk/open", dir + "/open.toml", "--data", dir + "/data"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("minimum-tcb") && refused.stderr.contains("\"any\""), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/data/resources/default/disk/open/policy.toml"))

        try (open + "minimum-tcb = \"any\"\n").write(toFile: dir + "/any.toml", atomically: true, encoding: .utf8)
        let set = try runBroker(["policy", "set", "default/disk/open", dir + "/any.toml", "--data", dir + "/data"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("minimum-tcb: any TCB is accepted (minimum-tcb = \"any\")"))
        let shown = try runBroker(["policy", "show", "default/disk/open", "--data", dir + "/data"])
        #expect(shown.stdout.contains("minimum-tcb = \"any\"\n"))
        #expect(shown.stdout.contains("# unconstrained (accepted whatever the report says):\n#   minimum-tcb: any TCB is accepted"))
        #expect(shown.stdout.contains("#   host-data: HOST_DATA (0x0C0) is not checked"))
        // What `show` prints is a policy `set` accepts again.
        try shown.stdout.write(toFile: dir + "/shown.toml", atomically: true, encoding: .utf8)
        #expect(try runBroker(["policy", "set", "default/disk/open", dir + "/shown.toml", "--data", dir + "/data"]).status == 0)
        // The simulator's policy has a minimum TCB: it is not listed as open.
        let root = try runBroker(["policy", "show", "default/disk/root", "--data", dir + "/data"])
        #expect(!root.stdout.contains("minimum-tcb: any"))
    }

    /// The key-id secret is made with the first key, mode 0600.
    @Test func theKeyIDSecretIsMadeWithTheFirstKey() throws {
        let (dir, _) = try setUp()
        let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/data/key-id.secret")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((attributes[.size] as? NSNumber)?.intValue == 32)
    }

    @Test func hostileRequestsGet4xxAndTheBrokerKeepsServing() throws {
        let (dir, _) = try setUp()
        let broker = try BrokerProcess(data: dir + "/data", tls: false)
        defer { _ = broker.stop() }
        let big = "POST /kbs/v0/attest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(2 << 20)\r\n\r\n"
        #expect(try broker.raw(Array(big.utf8)).hasPrefix("HTTP/1.1 413"))
        #expect(try broker.raw(Array("GARBAGE\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 400"))
        #expect(try broker.raw(Array("DELETE /kbs/v0/auth HTTP/1.1\r\nHost: x\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 405"))
        let malformed = "POST /kbs/v0/auth HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n{\"a\":"
        #expect(try broker.raw(Array(malformed.utf8)).hasPrefix("HTTP/1.1 401"))
        let old = #"{"version":"0.3.0","tee":"snp","extra-params":""}"#
        let versionResponse = try broker.raw(Array("POST /kbs/v0/auth HTTP/1.1\r\nHost: x\r\nContent-Length: \(old.utf8.count)\r\n\r\n\(old)".utf8))
        #expect(versionResponse.hasPrefix("HTTP/1.1 401"))
        #expect(versionResponse.contains("AttestationError"))
        // Slow loris: half a request head, then silence; the broker cuts it off.
        let started = Date()
        let slow = try broker.raw(Array("GET /healthz HTTP/1.1\r\nHost:".utf8), readTimeout: 30)
        #expect(Date().timeIntervalSince(started) < 25)
        #expect(slow.isEmpty || slow.hasPrefix("HTTP/1.1 408"))
        // Still serving.
        #expect(try broker.raw(Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 200"))
    }

    @Test func brokerDownIsATransportErrorNamingTheBroker() throws {
        let (dir, _) = try setUp()
        let result = try CLIRunner.run(["get-resource", "--broker", "https://127.0.0.1:9", "--broker-pin", String(repeating: "ab", count: 32), "--resource", "default/disk/root",
                                        "--simulator", dir + "/sim", "--attempts", "1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("127.0.0.1:9"))
    }
}

/// `guestguard unlock` end to end: a LUKS2 image made by the cryptsetup CLI with the broker's key
/// in keyslot 0 and a guestguard token; the broker runs as a process; the report is simulated.
@Suite(.serialized) struct UnlockCLITests {
    func cryptsetup(_ arguments: [String], input: Data? = nil) throws -> Int32 {
        try ProgramRunner(timeout: .seconds(300)).run("/sbin/cryptsetup", arguments, input: input.map { Array($0) } ?? []).status
    }

    /// A 32 MiB LUKS2 image: aes-xts-plain64 with a `keyBits` volume key, the broker's key in keyslot 0
    /// (fast PBKDF2), and a guestguard token in the format before issue 12, naming `broker` and `pin` (never used) and default/disk/root.
    func makeImage(_ image: String, key: String, broker: String, pin: String? = nil, keyBits: Int = 512, check: Bool = true) throws -> String {
        FileManager.default.createFile(atPath: image, contents: nil)
        try FileHandle(forWritingTo: URL(fileURLWithPath: image)).truncate(atOffset: 32 << 20)
        let formatted = try cryptsetup(["luksFormat", "--type", "luks2", "--batch-mode", "--cipher", "aes-xts-plain64", "--key-size", "\(keyBits)",
                                        "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000", "--key-file", key, image])
        let token = #"{"type":"guestguard","keyslots":["0"],"guestguard_version":1,"brokers":["\#(broker)"],"resource":"default/disk/root","broker_pin":\#(pin.map { "\"\($0)\"" } ?? "null"),"broker_ca":null}"#
        let imported = try cryptsetup(["token", "import", "--token-id", "0", image], input: Data(token.utf8))
        if check { #expect(formatted == 0 && imported == 0) }
        return image
    }

    @Test func unlockVerifiesTheBrokersKeyAgainstARealImage() throws {
        let dir = TemporaryFileTree.shared.directory("unlock-cli")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLIRunner.run(["simulator", "init", dir + "/sim"]).status == 0)
        let key = Data((0..<64).map { _ in UInt8.random(in: 0...255) })
        try key.write(to: URL(fileURLWithPath: dir + "/disk.key"))
        let broker = ["--data", dir + "/data"]
        _ = try CLIRunner.run(["key", "import", "default/disk/root", dir + "/disk.key"] + broker, executable: BrokerProcess.executable)
        _ = try CLIRunner.run(["policy", "set", "default/disk/root", dir + "/sim/policy.toml"] + broker, executable: BrokerProcess.executable)
        let server = try BrokerProcess(data: dir + "/data")
        defer { _ = server.stop() }
        let image = try makeImage(dir + "/disk.img", key: dir + "/disk.key", broker: server.url)
        let unlocked = try CLIRunner.run(["unlock", image, "--verify-only", "--simulator", dir + "/sim", "--header-copies", dir + "/copies"] + server.trust)
        #expect(unlocked.status == 0, "\(unlocked.stdout)\(unlocked.stderr)")
        #expect(unlocked.stdout.contains("the key opens keyslot 0"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/copies").isEmpty)
        // A header whose volume key is only 256 bits is refused before the broker is asked.
        let weak = try makeImage(dir + "/weak.img", key: dir + "/disk.key", broker: server.url, keyBits: 256, check: false)
        let refused = try CLIRunner.run(["unlock", weak, "--verify-only", "--simulator", dir + "/sim", "--header-copies", dir + "/copies"] + server.trust)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("header refused"))
    }
}
