import CanonicalJSON
import GuestGuardCore
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerTestSupport
import Synchronization
import Testing

/// Enrolment on real LUKS2 images: the broker's key (real KBS handshake, simulated report) gets a
/// PBKDF2 keyslot and a token; enrolling again changes nothing; a changed key replaces our
/// keyslot; a wrong passphrase or a hostile header changes nothing.
@Suite(.serialized) struct VolumeEnrollmentTests {
    let disks = LUKSTestVolumes()
    var enrollment: VolumeEnrollment { VolumeEnrollment(volumes: disks.volumes, headerCheck: StandardLUKS2HeaderCheck()) }

    func enroll(_ path: String, key: SecretBytes, passphrase: String = "correct horse", token: GuestGuardToken = LUKSTestVolumes.token,
                passphraseAsked: CallCounter? = nil) async throws -> VolumeEnrollment.Outcome
    {
        try await enrollment.enroll(device: path, token: token, brokerKey: { key }, existingPassphrase: {
            passphraseAsked?.record()
            return LUKSTestVolumes.secret(passphrase)
        })
    }

    @Test func enrolledVolumeUnlocksWithTheBrokersKey() async throws {
        let broker = try BrokerHarness(jwe: true)
        let keys = BrokerKeys(broker)
        let path = try disks.passphraseImage()
        let outcome = try await enrollment.enroll(device: path, token: LUKSTestVolumes.token, brokerKey: {
            try keys.key(for: LUKSTestVolumes.token)
        }, existingPassphrase: { LUKSTestVolumes.secret("correct horse") })
        #expect(outcome.change == .keyslotAdded)
        #expect(outcome.keyslot == 1)

        let metadata = try disks.metadata(path)
        #expect(metadata["keyslots"]?["1"]?["kdf"]?["type"]?.stringValue == "pbkdf2")
        #expect(metadata["keyslots"]?["1"]?["kdf"]?["iterations"]?.int64Value == 1000)
        let token = try GuestGuardToken(jsonText: try #require(try CryptDevice.loaded(path, logger: disks.logger).tokenJSON(outcome.tokenID)))
        #expect(token == GuestGuardToken(keyslot: 1, resource: "default/disk/root"))

        let unlocked = try await disks.unlocker().unlock(device: path, name: nil, keySource: .broker { token in
            try keys.key(for: token)
        })
        #expect(unlocked.keyslot == 1)
        #expect(broker.audit.all.filter { $0.decision == .release }.count == 2)
        #expect(try disks.opens(path, SecretBytes(copying: broker.diskKey), keyslot: 1))
    }

    @Test func enrollingAgainWithTheSameKeyChangesNothing() async throws {
        let path = try disks.passphraseImage()
        let key = SecretBytes(copying: (0..<64).map { UInt8($0) })
        _ = try await enroll(path, key: key)
        let before = disks.sequenceID(path)
        let asked = CallCounter()
        let again = try await enroll(path, key: key, passphrase: "not needed", passphraseAsked: asked)
        #expect(again.change == .unchanged)
        #expect(again.keyslot == 1)
        #expect(asked.value == 0, "the key proves itself; no passphrase is asked for")
        #expect(disks.sequenceID(path) == before, "nothing rewritten (same header sequence id)")

        // A token written before issue 12 (brokers and a pin, host-writable and never trusted): enrolling
        // again rewrites it with the keyslot and resource only; the keyslots stay.
        let device = try CryptDevice.loaded(path, logger: disks.logger)
        let legacy = #"{"type":"guestguard","keyslots":["1"],"guestguard_version":1,"brokers":["https://rogue.test"],"#
            + #""resource":"default/disk/root","broker_pin":"spki-sha256:\#(String(repeating: "cd", count: 32))"}"#
        _ = try device.setTokenJSON(legacy, token: again.tokenID)
        let parsed = try GuestGuardToken(jsonText: try #require(try CryptDevice.loaded(path, logger: disks.logger).tokenJSON(again.tokenID)))
        #expect(parsed.untrustedBrokers == ["https://rogue.test"] && parsed.legacyMembers == ["broker_pin", "brokers"])
        let rewritten = try await enroll(path, key: key, passphraseAsked: asked)
        #expect(rewritten.change == .tokenWritten)
        #expect(asked.value == 0)
        #expect(try disks.keyslots(path) == ["0", "1"])
        let text = try #require(try CryptDevice.loaded(path, logger: disks.logger).tokenJSON(rewritten.tokenID))
        #expect(!text.contains("brokers") && !text.contains("broker_pin") && !text.contains("rogue"), "\(text)")
        #expect(try GuestGuardToken(jsonText: text) == GuestGuardToken(keyslot: 1, resource: "default/disk/root"))
    }

    @Test func aChangedKeyReplacesOurKeyslotOnly() async throws {
        let path = try disks.passphraseImage()
        let old = SecretBytes(copying: [UInt8](repeating: 0xA1, count: 64))
        let new = SecretBytes(copying: [UInt8](repeating: 0xB2, count: 64))
        let first = try await enroll(path, key: old)
        let second = try await enroll(path, key: new)
        #expect(second.change == .keyslotReplaced(old: first.keyslot))
        #expect(second.tokenID == first.tokenID)
        #expect(try !disks.opens(path, old), "the old broker key opens nothing any more")
        #expect(try disks.opens(path, new, keyslot: second.keyslot))
        #expect(try disks.opens(path, LUKSTestVolumes.secret("correct horse"), keyslot: 0), "the passphrase keyslot survives")
        #expect(try disks.keyslots(path).count == 2)
    }

    @Test func aTokenNamingThePassphraseKeyslotDoesNotGetItDestroyed() async throws {
        let path = try disks.passphraseImage()
        let device = try CryptDevice.loaded(path, logger: disks.logger)
        try device.setTokenJSON(GuestGuardToken(keyslot: 0, resource: "default/disk/root").jsonText)
        let outcome = try await enroll(path, key: SecretBytes(copying: [UInt8](repeating: 7, count: 64)))
        #expect(outcome.change == .keyslotAdded)
        #expect(try disks.opens(path, LUKSTestVolumes.secret("correct horse"), keyslot: 0))
    }

    @Test func aWrongPassphraseChangesNothing() async throws {
        let path = try disks.passphraseImage()
        let before = disks.sequenceID(path)
        await #expect { try await enroll(path, key: SecretBytes(copying: [UInt8](repeating: 9, count: 64)), passphrase: "wrong") } throws: { error in
            guard case .wrongPassphrase = error as? EnrollmentError else { return false }
            return true
        }
        #expect(disks.sequenceID(path) == before)
        #expect(try disks.keyslots(path) == ["0"])
    }

    @Test func aHeaderUnlockWouldRefuseIsNotEnrolledAndNoKeyIsRequested() async throws {
        let path = try disks.passphraseImage(keySize: 32)
        let fetched = CallCounter()
        await #expect {
            try await enrollment.enroll(device: path, token: LUKSTestVolumes.token, brokerKey: {
                fetched.record()
                return SecretBytes(copying: [1])
            }, existingPassphrase: { LUKSTestVolumes.secret("correct horse") })
        } throws: { error in
            guard case .headerRefused(_, let violations) = error as? EnrollmentError else { return false }
            return violations.contains { $0.contains("segments.0.encryption") }
        }
        #expect(fetched.value == 0)
    }

    @Test func severalGuestGuardTokensAreNotGuessedBetween() async throws {
        let path = try disks.passphraseImage()
        let device = try CryptDevice.loaded(path, logger: disks.logger)
        try device.setTokenJSON(LUKSTestVolumes.token.jsonText)
        try device.setTokenJSON(LUKSTestVolumes.token.jsonText)
        await #expect { try await enroll(path, key: SecretBytes(copying: [UInt8](repeating: 3, count: 64))) } throws: { error in
            guard case .severalTokens(_, let ids) = error as? EnrollmentError else { return false }
            return ids == [0, 1]
        }
        await #expect { try await disks.unlocker().unlock(device: path, name: nil, keySource: .broker { _ in SecretBytes(copying: [1]) }) } throws: {
            "\($0)".contains("several guestguard tokens")
        }
    }
}
