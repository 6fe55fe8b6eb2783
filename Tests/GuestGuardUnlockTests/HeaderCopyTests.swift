#if canImport(Glibc)
import Glibc
#endif
import CanonicalJSON
import GuestGuardCore
import GuestGuardLinux
import GuestGuardPlatform
import Testing

/// The header copy unlock works from: the binary headers, JSON areas and active keyslot areas of
/// the device in a sparse file the size `crypt_header_backup` writes; and the full backup when the
/// primary header is unusable.
@Suite(.serialized) struct HeaderCopyTests {
    let disks = LUKSTestVolumes()

    func fileStatus(_ path: String) -> stat {
        var info = stat()
        stat(path, &info)
        return info
    }

    func bytes(_ path: String, at offset: Int, count: Int) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        _ = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return buffer
    }

    @Test func copyHoldsTheHeadersAndActiveKeyslotAreasOnly() throws {
        let path = try disks.passphraseImage()
        let device = try CryptDevice.loaded(path, logger: disks.logger)
        try device.setPBKDF(.machineKey)
        try device.addKeyslot(existingPassphrase: LUKSTestVolumes.secret("correct horse"), newPassphrase: LUKSTestVolumes.secret("second"))
        try device.destroyKeyslot(0)
        let backup = disks.tree.root + "/backup.img"
        try device.backupHeader(to: backup)

        let copy = disks.tree.root + "/copy.img"
        let volume = try disks.volumes.openHeaderCopy(device: path, copyPath: copy)
        #expect(fileStatus(copy).st_size == fileStatus(backup).st_size, "the size crypt_header_backup writes")
        #expect(fileStatus(copy).st_blocks * 512 < 2 << 20, "sparse: only headers and one keyslot area are written")
        #expect(try volume.metadataJSON() == (try CryptDevice(headerPath: backup, dataDevice: path, logger: disks.logger).loadedMetadataJSON()))
        let area = try device.keyslotArea(1)
        #expect(bytes(copy, at: Int(area.offset), count: Int(area.length)) == bytes(path, at: Int(area.offset), count: Int(area.length)))
        let (metadataSize, _) = try device.metadataSize()
        #expect(bytes(copy, at: 0, count: Int(2 * metadataSize)) == bytes(path, at: 0, count: Int(2 * metadataSize)))
        let destroyed = 2 * Int(metadataSize)  // keyslot 0's area, wiped by destroy and not copied
        #expect(bytes(copy, at: destroyed, count: 4096) == [UInt8](repeating: 0, count: 4096))
        try volume.activate(name: nil, key: LUKSTestVolumes.secret("second"), keyslot: 1)
        #expect(throws: LUKSVolumeError.self) { try volume.activate(name: nil, key: LUKSTestVolumes.secret("correct horse"), keyslot: nil) }
    }

    @Test func aDamagedPrimaryHeaderFallsBackToTheFullBackup() async throws {
        let path = try disks.passphraseImage(passphrase: "still here")
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        _ = [UInt8](repeating: 0, count: 8).withUnsafeBytes { pwrite(fd, $0.baseAddress, 8, 0) }
        close(fd)
        disks.tree.write("/sys/kernel/security/secrets/coco/\(LaunchSecret.diskPassphraseGUID)", bytes: Array("still here".utf8))
        let outcome = try await disks.unlocker().unlock(device: path, name: nil, keySource: .launchSecret(LaunchSecret(files: disks.tree.fileSystem)))
        #expect(outcome.keyslot == nil)
    }
}

extension CryptDevice {
    func loadedMetadataJSON() throws -> String {
        try loadLUKS2()
        return try metadataJSON()
    }
}
