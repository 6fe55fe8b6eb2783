import CanonicalJSON
import GuestGuardLinux
import LUKS2Policy
import Testing

/// `LUKS2HeaderValidator` on real LUKS2 headers (formatted by libcryptsetup, read back through
/// `crypt_dump_json` from a detached header copy), and on hostile edits of their metadata for
/// what libcryptsetup refuses to write.
@Suite struct LUKS2HeaderValidatorTests {
    /// A good image: aes-xts-plain64, 64-byte key, PBKDF2/1000 keyslot 0, a guestguard token on it.
    func good() throws -> (metadata: JSONValue, token: Int) {
        let image = try LUKS2Image()
        let token = try image.addToken(keyslots: [0])
        return (try image.metadata(), token)
    }

    func paths(_ violations: [LUKS2HeaderViolation]) -> [String] { violations.map(\.path) }

    @Test func goodImagePasses() throws {
        let (metadata, token) = try good()
        #expect(metadata.at("segments.0.encryption") == "aes-xts-plain64")
        #expect(metadata.at("keyslots.0.key_size") == 64)
        let violations = LUKS2HeaderValidator.validate(metadata: metadata, ourToken: token)
        #expect(violations == [], "\(violations)")
    }

    @Test func aesXTSWith256BitKeyIsRefused() throws {
        let image = try LUKS2Image(volumeKeySize: 32)
        let token = try image.addToken(keyslots: [0])
        let violations = LUKS2HeaderValidator.validate(metadata: try image.metadata(), ourToken: token)
        #expect(violations == [.encryptionNotAllowed(path: "segments.0.encryption", encryption: "aes-xts-plain64", integrity: nil, keySizeBytes: 32)])
        #expect(violations.first?.description.contains("256-bit") == true)
    }

    @Test func cipherNullSegmentIsRefused() throws {
        // libcryptsetup formats a cipher_null segment only with device-mapper around; without it, edit the real metadata.
        let metadata: JSONValue
        if let image = try? LUKS2Image(cipher: "cipher_null", mode: "ecb", volumeKeySize: 0) {
            try image.addToken(keyslots: [0])
            metadata = try image.metadata()
        } else {
            metadata = try good().metadata.setting("segments.0.encryption", to: "cipher_null-ecb")
        }
        let violations = LUKS2HeaderValidator.validate(metadata: metadata, ourToken: 0)
        #expect(violations.contains(.nullCipher(path: "segments.0.encryption", value: "cipher_null-ecb")), "\(violations)")
        #expect(violations.contains { if case .encryptionNotAllowed = $0 { true } else { false } })
    }

    @Test func cipherNullKeyslotAreaIsRefused() throws {
        let (metadata, token) = try good()
        let hostile = metadata.setting("keyslots.0.area.encryption", to: "cipher_null-ecb").setting("keyslots.0.area.key_size", to: 0)
        #expect(LUKS2HeaderValidator.validate(metadata: hostile, ourToken: token) == [
            .nullCipher(path: "keyslots.0.area.encryption", value: "cipher_null-ecb"),
            .keyslotCipherNotAllowed(path: "keyslots.0.area.encryption", encryption: "cipher_null-ecb", keySizeBytes: 0),
        ])
        let shortKey = metadata.setting("keyslots.0.area.key_size", to: 16)
        #expect(LUKS2HeaderValidator.validate(metadata: shortKey, ourToken: token)
            == [.keyslotCipherNotAllowed(path: "keyslots.0.area.encryption", encryption: "aes-xts-plain64", keySizeBytes: 16)])
        let ecb = metadata.setting("keyslots.0.area.encryption", to: "aes-ecb")
        #expect(LUKS2HeaderValidator.validate(metadata: ecb, ourToken: token)
            == [.keyslotCipherNotAllowed(path: "keyslots.0.area.encryption", encryption: "aes-ecb", keySizeBytes: 64)])
    }

    @Test func argon2With4GiBIsRefused() throws {
        let (metadata, token) = try good()
        let salt = try #require(metadata.at("keyslots.0.kdf.salt"))
        let hostile = metadata.setting("keyslots.0.kdf", to: ["type": "argon2id", "time": 4, "memory": 4_194_304, "cpus": 4, "salt": salt])
        #expect(LUKS2HeaderValidator.validate(metadata: hostile, ourToken: token)
            == [.aboveLimit(path: "keyslots.0.kdf.memory", value: 4_194_304, limit: 1_048_576)])
        let withinCaps = metadata.setting("keyslots.0.kdf", to: ["type": "argon2i", "time": 20, "memory": 1_048_576, "cpus": 4, "salt": salt])
        #expect(LUKS2HeaderValidator.validate(metadata: withinCaps, ourToken: token) == [])
        let slowAndWide = metadata.setting("keyslots.0.kdf", to: ["type": "argon2id", "time": 21, "memory": 1024, "cpus": 64, "salt": salt])
        #expect(paths(LUKS2HeaderValidator.validate(metadata: slowAndWide, ourToken: token)) == ["keyslots.0.kdf.time", "keyslots.0.kdf.cpus"])
    }

    @Test func pbkdf2IterationCapsKeyslotsAndDigests() throws {
        let (metadata, token) = try good()
        let hostile = metadata.setting("keyslots.0.kdf.iterations", to: 10_000_001).setting("digests.0.iterations", to: 50_000_000)
        #expect(LUKS2HeaderValidator.validate(metadata: hostile, ourToken: token) == [
            .aboveLimit(path: "keyslots.0.kdf.iterations", value: 10_000_001, limit: 10_000_000),
            .aboveLimit(path: "digests.0.iterations", value: 50_000_000, limit: 10_000_000),
        ])
        let unknownKDF = metadata.setting("keyslots.0.kdf.type", to: "scrypt")
        #expect(LUKS2HeaderValidator.validate(metadata: unknownKDF, ourToken: token) == [.kdfNotAllowed(path: "keyslots.0.kdf.type", value: "scrypt")])
    }

    @Test func secondSegmentIsRefused() throws {
        let (metadata, token) = try good()
        let hostile = metadata.setting("segments.1", to: metadata.at("segments.0"))
        #expect(LUKS2HeaderValidator.validate(metadata: hostile, ourToken: token) == [.segmentCount(path: "segments", count: 2)])
        let linear = metadata.setting("segments.0.type", to: "linear")
        #expect(LUKS2HeaderValidator.validate(metadata: linear, ourToken: token) == [.segmentType(path: "segments.0.type", value: "linear")])
    }

    @Test func keyslotAreaMustLieInTheKeyslotsArea() throws {
        let (metadata, token) = try good()
        let start: Int64 = 2 * (4096 + 12288)
        #expect(metadata.at("config.json_size") == "12288", "the default LUKS2 metadata size")
        #expect(metadata.at("keyslots.0.area.offset") == .string(String(start)))
        let intoBinaryHeader = metadata.setting("keyslots.0.area.offset", to: "4096")
        let violations = LUKS2HeaderValidator.validate(metadata: intoBinaryHeader, ourToken: token)
        #expect(paths(violations) == ["keyslots.0.area"])
        #expect(violations.first?.description.contains("outside the keyslots area [32768, 16777216)") == true, "\(violations)")
        let intoData = metadata.setting("keyslots.0.area.size", to: "16744449")
        #expect(LUKS2HeaderValidator.validate(metadata: intoData, ourToken: token) == [
            .areaOutsideKeyslotsArea(path: "keyslots.0.area", offset: start, size: 16_744_449, start: start, end: 16_777_216),
            .areaOverlapsData(path: "keyslots.0.area", areaEnd: 16_777_217, segmentOffset: 16_777_216),
        ])
        let dataMovedIn = metadata.setting("segments.0.offset", to: "65536")
        #expect(LUKS2HeaderValidator.validate(metadata: dataMovedIn, ourToken: token)
            == [.areaOverlapsData(path: "keyslots.0.area", areaEnd: start + 258_048, segmentOffset: 65536)])
    }

    /// Persistent activation flags are the host's: every one is refused, `[]` is accepted, anything but an array of strings is malformed.
    @Test func persistentActivationFlagsAreRefused() throws {
        let image = try LUKS2Image()
        let token = try image.addToken(keyslots: [0])
        try image.device.setPersistentActivationFlags(CryptDevice.allowDiscards)
        let metadata = try image.metadata()
        #expect(metadata.at("config.flags") == .array(["allow-discards"]), "libcryptsetup itself wrote the flag")
        #expect(LUKS2HeaderValidator.validate(metadata: metadata, ourToken: token) == [.persistentFlags(path: "config.flags", flags: ["allow-discards"])])
        let several = metadata.setting("config.flags", to: .array(["same-cpu-crypt", "no-read-workqueue"]))
        #expect(LUKS2HeaderValidator.validate(metadata: several, ourToken: token)
            == [.persistentFlags(path: "config.flags", flags: ["same-cpu-crypt", "no-read-workqueue"])])
        #expect(LUKS2HeaderValidator.validate(metadata: metadata.setting("config.flags", to: .array([])), ourToken: token) == [])
        #expect(LUKS2HeaderValidator.validate(metadata: metadata.setting("config.flags", to: nil), ourToken: token) == [])
        #expect(paths(LUKS2HeaderValidator.validate(metadata: metadata.setting("config.flags", to: "allow-discards"), ourToken: token)) == ["config.flags"])
        #expect(paths(LUKS2HeaderValidator.validate(metadata: metadata.setting("config.flags", to: .array([1])), ourToken: token)) == ["config.flags.0"])
    }

    @Test func aeadSegmentWithIntegrityIsAccepted() throws {
        let (metadata, token) = try good()
        let aead = metadata.setting("segments.0.encryption", to: "aes-gcm-random").setting("segments.0.integrity", to: ["type": "aead"])
            .setting("keyslots.0.key_size", to: 32)
        #expect(LUKS2HeaderValidator.validate(metadata: aead, ourToken: token) == [])
        let noIntegrity = aead.setting("segments.0.integrity", to: nil)
        #expect(LUKS2HeaderValidator.validate(metadata: noIntegrity, ourToken: token)
            == [.encryptionNotAllowed(path: "segments.0.encryption", encryption: "aes-gcm-random", integrity: nil, keySizeBytes: 32)])
    }
}
