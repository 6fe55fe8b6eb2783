import GuestGuardCore
import GuestGuardLinux
import GuestGuardPlatform
import Testing

/// Named activation needs device-mapper (dm_mod). Where the kernel has none (this project's build
/// machines), these tests are skipped; `--verify-only` covers the key path everywhere else.
@Suite(.serialized, .enabled(if: DeviceMapperSupport.isAvailable(files: HostFileSystem()), "no device-mapper in /proc/misc"))
struct NamedActivationTests {
    let disks = LUKSTestVolumes()

    @Test func formattedVolumeIsActivatedUnderItsNameAndRemoved() async throws {
        let path = disks.blankFile("/named.img")
        let key = SecretBytes(copying: [UInt8](repeating: 0x42, count: 64))
        let format = VolumeFormat(volumes: disks.volumes, probe: CryptsetupDeviceProbe(logger: disks.logger), headerCheck: StandardLUKS2HeaderCheck())
        let outcome = try await format.format(device: path, token: LUKSTestVolumes.token, machineKey: { key }, recoveryPassphrase: nil)
        let name = "guestguard-test-\(outcome.uuid.prefix(8))"
        let unlocked = try await disks.unlocker().unlock(device: path, name: name, keySource: .broker { _ in key })
        #expect(unlocked.keyslot == 0)
        #expect(HostFileSystem().exists("/dev/mapper/\(name)"))
        try CryptDevice.loaded(path, logger: disks.logger).deactivate(name: name)
        #expect(!HostFileSystem().exists("/dev/mapper/\(name)"))
    }
}
