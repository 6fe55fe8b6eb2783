import CanonicalJSON
import GuestGuardCore
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerTestSupport
import Testing

/// `VolumeFormat` on real image files: the header it writes passes our own header check with our
/// token, uses 4096-byte sectors where the device allows, and unlocks through the broker.
@Suite(.serialized) struct VolumeFormatTests {
    let disks = LUKSTestVolumes()
    var format: VolumeFormat {
        VolumeFormat(volumes: disks.volumes, probe: CryptsetupDeviceProbe(logger: disks.logger), headerCheck: StandardLUKS2HeaderCheck())
    }

    @Test func formattedVolumePassesTheHeaderCheckAndUnlocksThroughTheBroker() async throws {
        let broker = try BrokerHarness(jwe: true)
        let keys = BrokerKeys(broker)
        let path = disks.blankFile("/fresh.img")
        let key = try keys.key(for: LUKSTestVolumes.token)
        let outcome = try await format.format(device: path, token: LUKSTestVolumes.token, machineKey: { key },
                                        recoveryPassphrase: LUKSTestVolumes.secret("recovery words"))
        #expect(outcome.machineKeyslot == 0 && outcome.recoveryKeyslot == 1)

        let metadata = try disks.metadata(path)
        #expect(StandardLUKS2HeaderCheck().violations(metadata: metadata, guestguardToken: outcome.tokenID) == [])
        #expect(metadata["segments"]?["0"]?["encryption"]?.stringValue == "aes-xts-plain64")
        #expect(metadata["segments"]?["0"]?["sector_size"]?.int64Value == 4096)
        #expect(metadata["keyslots"]?["0"]?["key_size"]?.int64Value == 64)
        #expect(metadata["keyslots"]?["0"]?["kdf"]?["type"]?.stringValue == "pbkdf2")
        #expect(metadata["keyslots"]?["1"]?["kdf"]?["type"]?.stringValue == "argon2id")
        #expect(metadata["tokens"]?["\(outcome.tokenID)"]?["keyslots"] == ["0"])
        #expect(outcome.uuid == (try CryptDevice.loaded(path, logger: disks.logger).uuid))

        #expect(try disks.opens(path, LUKSTestVolumes.secret("recovery words"), keyslot: 1))
        #expect(try !disks.opens(path, LUKSTestVolumes.secret("recovery words"), keyslot: 0))
        let unlocked = try await disks.unlocker().unlock(device: path, name: nil, keySource: .broker { token in
            try keys.key(for: token)
        })
        #expect(unlocked.keyslot == 0)
    }

    @Test func aDeviceThatRefuses4096ByteSectorsGets512() async throws {
        // 16 MiB of header plus a data area that is not a multiple of 4096 bytes.
        let path = disks.blankFile("/odd.img", bytes: (32 << 20) + 512)
        let outcome = try await format.format(device: path, token: LUKSTestVolumes.token, machineKey: { SecretBytes(copying: [UInt8](repeating: 5, count: 64)) },
                                        recoveryPassphrase: nil)
        #expect(outcome.recoveryKeyslot == nil)
        let metadata = try disks.metadata(path)
        #expect(metadata["segments"]?["0"]?["sector_size"]?.int64Value == 512)
        #expect(StandardLUKS2HeaderCheck().violations(metadata: metadata, guestguardToken: outcome.tokenID) == [])
    }

    @Test func anExistingLUKSHeaderIsNotOverwrittenUnlessAsked() async throws {
        let path = try disks.passphraseImage()
        let key = SecretBytes(copying: [UInt8](repeating: 6, count: 64))
        let fetched = CallCounter()
        await #expect {
            try await format.format(device: path, token: LUKSTestVolumes.token, machineKey: { fetched.record(); return key }, recoveryPassphrase: nil)
        } throws: { error in
            guard case .alreadyLUKS(_, let version) = error as? EnrollmentError else { return false }
            return version == 2
        }
        #expect(fetched.value == 0, "no key is requested for a device that will not be formatted")
        #expect(try disks.opens(path, LUKSTestVolumes.secret("correct horse")), "the old header is untouched")
        let outcome = try await format.format(device: path, token: LUKSTestVolumes.token, machineKey: { key }, recoveryPassphrase: nil, overwrite: true)
        #expect(try disks.opens(path, key, keyslot: outcome.machineKeyslot))
        #expect(try !disks.opens(path, LUKSTestVolumes.secret("correct horse")))
    }
}
