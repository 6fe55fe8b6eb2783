import Foundation
import GuestGuardTestSupport
import Testing

/// A rogue broker as the hostile host runs it (tests/peers/rogue_broker.py, Python + jwcrypto): its
/// own TLS certificate; it reads `runtime-data.tee-pubkey` from the guest's `/attest` and answers
/// `/resource` with a JWE of a key IT chose, sealed to that key.
final class RogueBroker {
    let process: ChildProcess
    let identity: TLSIdentity?
    let log: String
    let url: String
    /// The key the rogue releases (64 bytes) and the file holding it.
    let key: Data
    let keyFile: String

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("tests/peers/rogue_broker.py").path
    }

    init(directory: String, tls: Bool = true) throws {
        identity = tls ? try TLSIdentity.make(name: "rogue") : nil
        key = Data((0..<64).map { _ in UInt8.random(in: 0...255) })
        keyFile = directory + "/rogue.key"
        log = directory + "/rogue.log"
        try key.write(to: URL(fileURLWithPath: keyFile))
        FileManager.default.createFile(atPath: log, contents: nil)
        process = try ChildProcess("python3", [Self.script, "--rogue-key", keyFile, "--log", log]
            + (identity.map { ["--cert", $0.certificate, "--key", $0.key] } ?? []))
        let text = try process.waitForOutput { $0.contains("\n") ? $0 : nil }
        guard let range = text.range(of: "listening on ") else {
            process.stop()
            throw NSError(domain: "RogueBroker", code: 1, userInfo: [NSLocalizedDescriptionKey: "rogue broker did not start: \(text)"])
        }
        url = String(text[range.upperBound...].prefix(while: { !$0.isWhitespace }))
    }

    /// What the rogue saw: one JSON line per request.
    var steps: [String] { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }
    var sawAttestation: Bool { steps.contains { $0.contains("\"step\": \"attest\"") } }
    var releasedAKey: Bool { steps.contains { $0.contains("\"step\": \"resource\"") } }

    /// How the host would name it: its URL and its own pin.
    var ownTrust: [String] { ["--broker", url] + (identity.map { ["--broker-pin", $0.pin] } ?? ["--test-only-plain-http"]) }

    func stop() { process.stop() }
}

/// Issue 12 acceptance: the rogue broker is defeated on every path (`unlock` with a token naming it,
/// `get-resource`, `enroll`, `format`; `boot-unlock` refuses an unauthenticated configuration here and
/// powers off in the VM scenario `rogue-broker`). Each ends with an error naming the untrusted broker,
/// and no volume opened, no keyslot written. The first test also proves the rogue is capable: with its
/// own pin trusted (what the token-supplied pin amounted to before the fix) the guest takes its key.
@Suite(.serialized) struct RogueBrokerCLITests {
    let unlockTests = UnlockCLITests()

    /// A volume the HOST made: LUKS2 opened by the rogue's key, with a token naming the rogue and its pin
    /// (the format before issue 12: exactly what the old `unlock` trusted).
    func hostVolume(_ path: String, rogue: RogueBroker) throws {
        _ = try unlockTests.makeImage(path, key: rogue.keyFile, broker: rogue.url, pin: "spki-sha256:" + rogue.identity!.pin)
    }

    @Test func unlockNeverTakesTheBrokerATokenNames() throws {
        let (dir, _) = try BrokerCLITests().setUp()
        let broker = try BrokerProcess(data: dir + "/data")
        let rogue = try RogueBroker(directory: dir)
        defer { rogue.stop(); _ = broker.stop() }
        let image = dir + "/host.img"
        try hostVolume(image, rogue: rogue)
        let common = ["unlock", image, "--verify-only", "--simulator", dir + "/sim", "--header-copies", dir + "/copies"]

        // The rogue is capable: trusted with its own pin, it hands the guest a key that opens the host's volume.
        let capable = try CLIRunner.run(["get-resource", "--resource", "default/disk/root", "--simulator", dir + "/sim", "--out", dir + "/taken.key"]
            + rogue.ownTrust)
        #expect(capable.status == 0, "\(capable.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/taken.key")) == rogue.key, "the rogue's JWE, sealed to tee-pubkey, opens")
        try FileManager.default.removeItem(atPath: rogue.log)

        // No broker on the command line, no configuration: the token's broker is not a fallback.
        let unconfigured = try CLIRunner.run(common + ["--config", dir + "/absent.toml"])
        #expect(unconfigured.status != 0)
        #expect(!unconfigured.stdout.contains("the key opens"), "\(unconfigured.stdout)")
        #expect(unconfigured.stderr.contains("no trusted broker"), "\(unconfigured.stderr)")
        #expect(unconfigured.stderr.contains(rogue.url) && unconfigured.stderr.contains("never trusted"), "names the untrusted broker: \(unconfigured.stderr)")

        // The tenant's configuration names its broker: only that one is asked; its key does not open the host's volume.
        let config = dir + "/guestguard.toml"
        try "brokers = [\"\(broker.url)\"]\nresource = \"default/disk/root\"\nbroker-pin = \"\(broker.identity!.pin)\"\n[[volume]]\nuuid = \"0b9f1c3e-5d2a-4c1b-9e8f-7a6b5c4d3e2f\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let configured = try CLIRunner.run(common + ["--config", config])
        #expect(configured.status != 0)
        #expect(!configured.stdout.contains("the key opens"), "\(configured.stdout)")
        #expect(configured.stderr.contains(rogue.url) && configured.stderr.contains("not trusted"), "names the untrusted broker: \(configured.stderr)")
        #expect(!rogue.sawAttestation && !rogue.releasedAKey, "the rogue was never asked: \(rogue.steps)")
    }

    @Test func aRogueAtTheBrokersAddressIsRefusedByThePinOnEveryCommand() throws {
        let (dir, _) = try BrokerCLITests().setUp()
        let broker = try BrokerProcess(data: dir + "/data")
        let rogue = try RogueBroker(directory: dir)
        defer { rogue.stop(); _ = broker.stop() }
        // The host redirected the tenant's broker address to its rogue; the tenant's pin goes with it.
        let redirected = ["--broker", rogue.url, "--broker-pin", broker.identity!.pin, "--simulator", dir + "/sim"]

        let fetched = try CLIRunner.run(["get-resource", "--resource", "default/disk/root", "--out", dir + "/taken.key", "--attempts", "1"] + redirected)
        #expect(fetched.status != 0)
        #expect(fetched.stderr.contains(rogue.url) && fetched.stderr.contains("not the trusted broker"), "\(fetched.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/taken.key"))

        try Data("correct horse".utf8).write(to: URL(fileURLWithPath: dir + "/passphrase"))
        let image = dir + "/disk.img"
        try EnrollCLITests().passphraseImage(image, passphraseFile: dir + "/passphrase")
        let before = try Data(contentsOf: URL(fileURLWithPath: image)).prefix(16 << 10)
        let enrolled = try CLIRunner.run(["enroll", image, "--key-file", dir + "/passphrase", "--resource", "default/disk/root"] + redirected)
        #expect(enrolled.status != 0)
        #expect(enrolled.stderr.contains("not enrolled") && enrolled.stderr.contains(rogue.url) && enrolled.stderr.contains("not the trusted broker"),
                "\(enrolled.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: image)).prefix(16 << 10) == before, "no keyslot, no token written")

        let fresh = dir + "/fresh.img"
        FileManager.default.createFile(atPath: fresh, contents: nil)
        try FileHandle(forWritingTo: URL(fileURLWithPath: fresh)).truncate(atOffset: 40 << 20)
        let formatted = try CLIRunner.run(["format", fresh, "--resource", "default/disk/root"] + redirected)
        #expect(formatted.status != 0)
        #expect(formatted.stderr.contains(rogue.url) && formatted.stderr.contains("not the trusted broker"), "\(formatted.stderr)")
        #expect(try unlockTests.cryptsetup(["isLuks", fresh]) != 0, "nothing formatted")
        #expect(!rogue.sawAttestation && !rogue.releasedAKey, "TLS stopped before /attest: \(rogue.steps)")
    }

    @Test func plainHTTPIsRefusedUnlessTheTestOnlySwitchSaysSoAndThenWarns() throws {
        let (dir, _) = try BrokerCLITests().setUp()
        let rogue = try RogueBroker(directory: dir, tls: false)
        defer { rogue.stop() }
        let plain = ["--broker", rogue.url, "--resource", "default/disk/root", "--simulator", dir + "/sim"]
        for command in [["get-resource", "--out", dir + "/taken.key"], ["enroll", dir + "/none.img", "--key-file", dir + "/none"],
                        ["format", dir + "/none.img"], ["unlock", dir + "/none.img", "--verify-only"]]
        {
            let arguments = command[0] == "unlock" ? command + ["--broker", rogue.url, "--simulator", dir + "/sim"] : command + plain
            let refused = try CLIRunner.run(arguments)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains(rogue.url) && refused.stderr.contains("plain http"), "\(command[0]): \(refused.stderr)")
        }
        // A downgrade list is refused even under the switch.
        let mixed = try CLIRunner.run(["get-resource", "--broker", "https://127.0.0.1:9", "--test-only-plain-http"] + plain)
        #expect(mixed.status != 0 && mixed.stderr.contains("same scheme"), "\(mixed.stderr)")
        #expect(!rogue.sawAttestation, "\(rogue.steps)")

        // Under the switch it works, and says on every use what it gives away.
        let switched = try CLIRunner.run(["get-resource", "--test-only-plain-http", "--out", dir + "/taken.key"] + plain)
        #expect(switched.status == 0, "\(switched.stderr)")
        #expect(switched.stderr.contains("WARNING: TEST ONLY: plain http to \(rogue.url)"), "\(switched.stderr)")
    }

    @Test func bootUnlockListFilesRefusesAnUnauthenticatedConfiguration() throws {
        let dir = TemporaryFileTree.shared.directory("boot-config")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pin = String(repeating: "ab", count: 32)
        let cases: [(String, String)] = [
            ("resource = \"a/b/c\"\nbrokers = [\"http://10.0.2.2:8080\"]\n", "guestguard.toml:2:"),
            ("resource = \"a/b/c\"\nbrokers = [\"https://10.0.2.2:8443\"]\n", "guestguard.toml:2:"),
            ("resource = \"a/b/c\"\nbroker-pin = \"\(pin)\"\nbrokers = [\"https://kbs:8443\", \"http://kbs:8080\"]\n", "guestguard.toml:3:"),
        ]
        for (text, location) in cases {
            try text.write(toFile: dir + "/guestguard.toml", atomically: true, encoding: .utf8)
            let listed = try CLIRunner.run(["boot-unlock", "--list-files", "--config", dir + "/guestguard.toml"])
            #expect(listed.status != 0, "\(text)")
            #expect(listed.stderr.contains(location) && listed.stderr.contains("brokers"), "\(listed.stderr)")
        }
        // The test-only switch admits plain http, with the warning, at initramfs build time too.
        try "resource = \"a/b/c\"\nbrokers = [\"http://10.0.2.2:8080\"]\n[test-only]\nallow-plain-http = true\n[[volume]]\nuuid = \"0b9f1c3e-5d2a-4c1b-9e8f-7a6b5c4d3e2f\"\n"
            .write(toFile: dir + "/guestguard.toml", atomically: true, encoding: .utf8)
        let switched = try CLIRunner.run(["boot-unlock", "--list-files", "--config", dir + "/guestguard.toml"])
        #expect(switched.status == 0, "\(switched.stderr)")
        #expect(switched.stderr.contains("WARNING: TEST ONLY: plain http to http://10.0.2.2:8080"), "\(switched.stderr)")
    }
}
