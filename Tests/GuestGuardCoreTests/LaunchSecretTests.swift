import GuestGuardCore
import GuestGuardPosture
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// The efi_secret path on a fake tree: read into locked memory, one trailing NUL stripped, the
/// entry unlinked (which wipes it in the real driver), every failure named.
@Suite struct LaunchSecretTests {
    let guid = LaunchSecret.diskPassphraseGUID

    @Test func takesStripsTheNULAndUnlinks() throws {
        let tree = TemporaryFileTree()
        tree.write("/sys/kernel/security/secrets/coco/\(guid)", bytes: Array("disk passphrase".utf8) + [0])
        let secret = try LaunchSecret(files: tree.fileSystem).take()
        #expect(secret.withUnsafeBytes { Array($0) } == Array("disk passphrase".utf8))
        #expect(!tree.fileSystem.exists("/sys/kernel/security/secrets/coco/\(guid)"), "unlinked after use")
        #expect(throws: LaunchSecretError.self) { try LaunchSecret(files: tree.fileSystem).take() }
    }

    @Test func withoutATrailingNULNothingIsStripped() throws {
        let tree = TemporaryFileTree()
        tree.write("/sys/kernel/security/secrets/coco/\(guid)", bytes: [1, 2, 3, 0, 4])
        #expect(try LaunchSecret(files: tree.fileSystem).take().withUnsafeBytes { Array($0) } == [1, 2, 3, 0, 4])
    }

    @Test func namedFailures() {
        let tree = TemporaryFileTree()
        #expect { try LaunchSecret(files: tree.fileSystem).take() } throws: { "\($0)".contains("securityfs") }
        tree.makeDirectory("/sys/kernel/security")
        #expect { try LaunchSecret(files: tree.fileSystem).take() } throws: { "\($0)".contains("efi_secret") }
        tree.makeDirectory("/sys/kernel/security/secrets/coco")
        #expect { try LaunchSecret(files: tree.fileSystem).take() } throws: { "\($0)".contains(guid) }
        tree.write("/sys/kernel/security/secrets/coco/\(guid)", bytes: [0])
        #expect { try LaunchSecret(files: tree.fileSystem).take() } throws: { "\($0)".contains("0 bytes") }
        tree.write("/sys/kernel/security/secrets/coco/\(guid)", bytes: [UInt8](repeating: 7, count: 5000))
        #expect(throws: LaunchSecretError.self) { try LaunchSecret(files: tree.fileSystem).take() }
    }
}

@Suite struct GuestGuardTokenTests {
    @Test func roundTrip() throws {
        let token = GuestGuardToken(keyslot: 1, resource: "default/disk/root")
        let parsed = try GuestGuardToken(jsonText: token.jsonText)
        #expect(parsed == token)
        #expect(token.jsonText == #"{"guestguard_version":1,"keyslots":["1"],"resource":"default/disk/root","type":"guestguard"}"#)
    }

    /// Issue 12: a token written before (brokers, pin, CA) still reads, but carries no trust: the pin and
    /// CA are dropped, the broker list is only named (`untrustedBrokers`), whatever it holds.
    @Test func anOldTokensBrokersAndPinAreReadButNeverTrusted() throws {
        let legacy = #"{"type":"guestguard","keyslots":["1"],"guestguard_version":1,"brokers":["https://rogue.example","file:///etc/shadow"],"#
            + #""resource":"a/b/c","broker_pin":"md5:00","broker_ca":null}"#
        let token = try GuestGuardToken(jsonText: legacy)
        #expect(token.keyslot == 1 && token.resource == "a/b/c")
        #expect(token.untrustedBrokers == ["https://rogue.example", "file:///etc/shadow"])
        #expect(token.legacyMembers == ["broker_ca", "broker_pin", "brokers"])
        #expect(token != GuestGuardToken(keyslot: 1, resource: "a/b/c"), "enroll rewrites it")
        #expect(!token.jsonText.contains("broker"))
    }

    @Test(arguments: [
        (#"{"type":"clevis","keyslots":["1"]}"#, "type"),
        (#"{"type":"guestguard","keyslots":["1","2"],"guestguard_version":1,"brokers":["http://a"],"resource":"a/b/c"}"#, "keyslots"),
        (#"{"type":"guestguard","keyslots":["1"],"guestguard_version":2,"brokers":["http://a"],"resource":"a/b/c"}"#, "guestguard_version"),
        (#"{"type":"guestguard","keyslots":["1"],"guestguard_version":1,"brokers":["http://a"],"resource":"a/b"}"#, "resource"),
        (#"{"type":"guestguard","keyslots":["1"],"guestguard_version":1,"brokers":["http://a"],"resource":"a/b/c","shell":"/bin/sh"}"#, "shell"),
        ("[]", "(document)"),
        ("{", "(document)"),
    ])
    func refusals(json: String, member: String) {
        #expect { try GuestGuardToken(jsonText: json) } throws: { ($0 as? GuestGuardToken.ParseError)?.member == member }
    }
}
