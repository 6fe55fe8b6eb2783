import Foundation
import Testing

/// `guestguard enroll`, `format` and `unlock --timings` as processes against a running
/// `guestguard-broker` (simulated report): enrol then unlock, enrol again (nothing asked, nothing
/// changed), a wrong passphrase, a changed broker key, format then unlock; and no key material in
/// anything either process printed.
@Suite(.serialized) struct EnrollCLITests {
    let unlockTests = UnlockCLITests()

    /// A sparse image file, LUKS2-formatted by the cryptsetup CLI with `passphrase` (fast PBKDF2).
    func passphraseImage(_ path: String, passphraseFile: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncate(atOffset: 32 << 20)
        #expect(try unlockTests.cryptsetup(["luksFormat", "--type", "luks2", "--batch-mode", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000",
                                            "--key-file", passphraseFile, path]) == 0)
    }

    func runBroker(_ arguments: [String]) throws -> CLIRunner.Outcome { try CLIRunner.run(arguments, executable: BrokerProcess.executable) }

    /// Every output line must be free of the key, as hex and as base64.
    func expectNoKeyMaterial(_ outputs: [String], keys: [Data]) {
        for key in keys {
            let hex = key.map { String(format: "%02x", $0) }.joined()
            for output in outputs {
                #expect(!output.lowercased().contains(hex))
                #expect(!output.contains(key.base64EncodedString()))
                #expect(!output.contains(key.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                    .replacingOccurrences(of: "=", with: "")))
            }
        }
    }

    @Test func enrollThenUnlockAgainstARunningBroker() throws {
        let (dir, key) = try BrokerCLITests().setUp()
        let broker = try BrokerProcess(data: dir + "/data")
        var outputs: [String] = []
        func run(_ arguments: [String]) throws -> CLIRunner.Outcome {
            let result = try CLIRunner.run(arguments)
            outputs += [result.stdout, result.stderr]
            return result
        }
        try Data("correct horse".utf8).write(to: URL(fileURLWithPath: dir + "/passphrase"))
        try Data("wrong horse".utf8).write(to: URL(fileURLWithPath: dir + "/wrong"))
        let image = dir + "/disk.img"
        try passphraseImage(image, passphraseFile: dir + "/passphrase")
        let common = broker.trust + ["--resource", "default/disk/root", "--simulator", dir + "/sim"]

        let enrolled = try run(["enroll", image, "--key-file", dir + "/passphrase"] + common)
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        #expect(enrolled.stdout.contains("enrolled the broker's key in keyslot 1, token 0"))
        #expect(enrolled.stdout.contains("[[volume]]\nuuid = \"") && enrolled.stdout.contains("volume-key-digest = \""), "the stanza for guestguard.toml")
        let enrolledUUID = try #require(enrolled.stdout.range(of: "uuid = \"").map { String(enrolled.stdout[$0.upperBound...].prefix(36)) })

        // Again: the key proves itself, so the (absent) key file is never read and nothing changes.
        let again = try run(["enroll", image, "--key-file", dir + "/absent"] + common)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("already enrolled"))

        let unlocked = try run(["unlock", image, "--verify-only", "--timings", "--simulator", dir + "/sim", "--header-copies", dir + "/copies"] + broker.trust)
        #expect(unlocked.status == 0, "\(unlocked.stderr)")
        #expect(unlocked.stdout.contains("the key opens keyslot 1"))
        let named = try run(["unlock", image, "--verify-only", "--volume", enrolledUUID, "--simulator", dir + "/sim", "--header-copies", dir + "/copies"] + broker.trust)
        #expect(named.status == 0, "\(named.stderr)")
        let elsewhere = "0b9f1c3e-5d2a-4c1b-9e8f-7a6b5c4d3e2f"
        let misnamed = try run(["unlock", image, "--verify-only", "--volume", elsewhere, "--simulator", dir + "/sim", "--header-copies", dir + "/copies"] + broker.trust)
        #expect(misnamed.status != 0 && misnamed.stderr.contains("LUKS2 UUID \(enrolledUUID.uppercased()) is not the expected \(elsewhere)")
                || misnamed.stderr.contains("LUKS2 UUID \(enrolledUUID) is not the expected \(elsewhere)"), "\(misnamed.stderr)")
        for phase in ["header-copy", "header-check", "attest", "broker", "key-fetch", "keyslot-open", "run"] {
            #expect(unlocked.stderr.contains("timing: \(phase) "), "\(phase) missing from \(unlocked.stderr)")
        }
        #expect(unlocked.stderr.contains("timing: broker-round-trips 3"))

        let other = dir + "/other.img"
        try passphraseImage(other, passphraseFile: dir + "/passphrase")
        let refused = try run(["enroll", other, "--key-file", dir + "/wrong"] + common)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("the existing passphrase opens no keyslot"))

        // The tenant rotates the broker's key: enrolling again replaces keyslot 1.
        let newKey = Data((0..<64).map { _ in UInt8.random(in: 0...255) })
        try newKey.write(to: URL(fileURLWithPath: dir + "/new.key"))
        #expect(try runBroker(["key", "delete", "default/disk/root", "--data", dir + "/data"]).status == 0)
        #expect(try runBroker(["key", "import", "default/disk/root", dir + "/new.key", "--data", dir + "/data"]).status == 0)
        #expect(try runBroker(["policy", "set", "default/disk/root", dir + "/sim/policy.toml", "--data", dir + "/data"]).status == 0)
        let rotated = try run(["enroll", image, "--key-file", dir + "/passphrase"] + common)
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stdout.contains("replaced keyslot 1"))
        #expect(try unlockTests.cryptsetup(["open", "--test-passphrase", "--key-file", dir + "/disk.key", image]) != 0, "the old key opens nothing")
        let reopened = try run(["unlock", image, "--verify-only", "--simulator", dir + "/sim", "--header-copies", dir + "/copies"] + broker.trust)
        #expect(reopened.status == 0, "\(reopened.stderr)")

        outputs.append(broker.stop())
        expectNoKeyMaterial(outputs, keys: [key, newKey])
    }

    @Test func formatThenUnlockWithTheBrokersKeyOrTheRecoveryKey() throws {
        let (dir, key) = try BrokerCLITests().setUp()
        let broker = try BrokerProcess(data: dir + "/data")
        let image = dir + "/fresh.img"
        FileManager.default.createFile(atPath: image, contents: nil)
        try FileHandle(forWritingTo: URL(fileURLWithPath: image)).truncate(atOffset: 40 << 20)
        try Data("recovery words".utf8).write(to: URL(fileURLWithPath: dir + "/recovery"))
        let common = broker.trust + ["--resource", "default/disk/root", "--simulator", dir + "/sim"]
        let formatted = try CLIRunner.run(["format", image, "--recovery-key-file", dir + "/recovery"] + common)
        #expect(formatted.status == 0, "\(formatted.stderr)")
        #expect(formatted.stdout.contains("broker key in keyslot 0, recovery passphrase in keyslot 1, token 0"))
        let unlocked = try CLIRunner.run(["unlock", image, "--verify-only", "--simulator", dir + "/sim", "--header-copies", dir + "/copies"] + broker.trust)
        #expect(unlocked.status == 0, "\(unlocked.stderr)")
        #expect(unlocked.stdout.contains("the key opens keyslot 0"))
        #expect(try unlockTests.cryptsetup(["open", "--test-passphrase", "--key-slot", "1", "--key-file", dir + "/recovery", image]) == 0)
        #expect(try unlockTests.cryptsetup(["open", "--test-passphrase", "--key-slot", "0", "--key-file", dir + "/disk.key", image]) == 0)
        let twice = try CLIRunner.run(["format", image] + common)
        #expect(twice.status != 0)
        #expect(twice.stderr.contains("already holds a LUKS2 header"))
        let brokerOutput = broker.stop()
        expectNoKeyMaterial([formatted.stdout, formatted.stderr, unlocked.stdout, unlocked.stderr, twice.stdout, twice.stderr, brokerOutput], keys: [key])
    }

    @Test func namedActivationWithoutDeviceMapperFailsCleanly() throws {
        let misc = (try? String(contentsOfFile: "/proc/misc", encoding: .utf8)) ?? ""
        let hasDeviceMapper = misc.split(separator: "\n").contains { $0.hasSuffix(" device-mapper") }
        let result = try CLIRunner.run(["unlock", "/nonexistent.img", "--name", "x", "--launch-secret"])
        #expect(result.status != 0)
        if !hasDeviceMapper { #expect(result.stderr.contains("no device-mapper")) }
    }
}

/// `guestguard unlock` without DEVICE, on a fake root (hidden `--root`): `/sys/class/block`
/// entries and `/dev` image files, one formatted against the running broker, one not ours.
@Suite(.serialized) struct UnlockDiscoveryCLITests {
    @Test func onlyTheNamedVolumesAreVerifiedAndTheOthersRefused() throws {
        let (dir, key) = try BrokerCLITests().setUp()
        let broker = try BrokerProcess(data: dir + "/data")
        let root = dir + "/root"
        for (name, number) in [("vda", "254:0"), ("vdb", "254:16"), ("loop0", "7:0")] {
            try FileManager.default.createDirectory(atPath: root + "/sys/class/block/" + name, withIntermediateDirectories: true)
            try Data("\(number)\n".utf8).write(to: URL(fileURLWithPath: root + "/sys/class/block/\(name)/dev"))
            try Data("81920\n".utf8).write(to: URL(fileURLWithPath: root + "/sys/class/block/\(name)/size"))
        }
        try FileManager.default.createDirectory(atPath: root + "/dev", withIntermediateDirectories: true)
        for name in ["vda", "vdb", "loop0"] {
            FileManager.default.createFile(atPath: root + "/dev/" + name, contents: nil)
            try FileHandle(forWritingTo: URL(fileURLWithPath: root + "/dev/" + name)).truncate(atOffset: 40 << 20)
        }
        let formatted = try CLIRunner.run(["format", root + "/dev/vdb", "--resource", "default/disk/root", "--simulator", dir + "/sim"] + broker.trust)
        #expect(formatted.status == 0, "\(formatted.stderr)")
        // format prints the [[volume]] stanza for guestguard.toml: the UUID and the volume-key digest.
        let stanza = try #require(formatted.stdout.range(of: "[[volume]]\nuuid = \"").map { formatted.stdout[$0.upperBound...] })
        let uuid = String(stanza.prefix(36))
        #expect(stanza.dropFirst(36).hasPrefix("\"\nvolume-key-digest = \""), "\(formatted.stdout)")
        // Another VM's disk enrolled under the same resource (same key), as the host can attach it.
        let other = try CLIRunner.run(["format", root + "/dev/vda", "--resource", "default/disk/root", "--simulator", dir + "/sim"] + broker.trust)
        #expect(other.status == 0, "\(other.stderr)")
        let otherUUID = try #require(other.stdout.range(of: "uuid = \"").map { String(other.stdout[$0.upperBound...].prefix(36)) })
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/pass"))
        #expect(try UnlockCLITests().cryptsetup(["luksFormat", "--type", "luks2", "--batch-mode", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations", "1000",
                                                 "--key-file", dir + "/pass", root + "/dev/loop0"]) == 0)

        let unnamed = try CLIRunner.run(["unlock", "--verify-only", "--root", root, "--simulator", dir + "/sim", "--header-copies", dir + "/copies"] + broker.trust)
        #expect(unnamed.status != 0)
        #expect(unnamed.stderr.contains("without DEVICE, name the volumes to unlock with --volume UUID"), "\(unnamed.stderr)")
        let result = try CLIRunner.run(["unlock", "--verify-only", "--root", root, "--volume", uuid, "--simulator", dir + "/sim", "--header-copies", dir + "/copies", "--timings"]
                                       + broker.trust)
        #expect(result.status == 1, "the foreign volume is refused: \(result.stderr)")
        #expect(result.stdout == "/dev/vdb: the key opens keyslot 0 (verified, not activated)\n")
        #expect(result.stderr.contains("error: /dev/vda not unlocked\nbecause: /dev/vda: refusing the volume with LUKS2 UUID \(otherUUID): not a volume the configuration names (expected: \(uuid))"),
                "\(result.stderr)")
        let only = try CLIRunner.run(["unlock", "--verify-only", "--root", root, "--volume", uuid.uppercased(), "--volume", otherUUID, "--simulator", dir + "/sim",
                                      "--header-copies", dir + "/copies"] + broker.trust)
        #expect(only.status == 0, "both named: \(only.stderr)")
        // Without --volume and --broker: the configuration file names the broker, its pin and the
        // volume, exactly as `format` printed the stanza (the file the initramfs hook bakes in).
        let printed = try #require(formatted.stdout.range(of: "[[volume]]").map { String(formatted.stdout[$0.lowerBound...]) })
        let config = dir + "/guestguard.toml"
        try "brokers = [\"\(broker.url)\"]\nresource = \"default/disk/root\"\nbroker-pin = \"\(broker.identity!.pin)\"\n\n\(printed)"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let configured = try CLIRunner.run(["unlock", "--verify-only", "--root", root, "--config", config, "--simulator", dir + "/sim", "--header-copies", dir + "/copies"])
        #expect(configured.status == 1, "the configuration's volume opens, the foreign one is refused: \(configured.stderr)")
        #expect(configured.stdout == "/dev/vdb: the key opens keyslot 0 (verified, not activated)\n", "\(configured.stdout)")
        #expect(configured.stderr.contains("/dev/vda: refusing the volume with LUKS2 UUID \(otherUUID)"), "\(configured.stderr)")
        #expect(result.stderr.contains("timing: keyslot-open"))
        let brokerOutput = broker.stop()
        let hex = key.map { String(format: "%02x", $0) }.joined()
        for output in [result.stdout, result.stderr, formatted.stdout, formatted.stderr, brokerOutput] {
            #expect(!output.contains(hex) && !output.contains(key.base64EncodedString()))
        }

        let none = try CLIRunner.run(["unlock", "--verify-only", "--root", dir + "/sim", "--volume", uuid, "--simulator", dir + "/sim"] + broker.trust)
        #expect(none.status != 0)
        #expect(none.stderr.contains("no block device carries the expected volume (LUKS2 UUID \(uuid))"), "\(none.stderr)")
    }
}
