#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform
import Logging

/// `LUKSVolumeOpener` over libcryptsetup: a copy of the device's header (`LUKS2HeaderCopy`, or
/// `crypt_header_backup`), then `crypt_init_data_device(copy, device)` + `crypt_load`; `crypt_init` + `crypt_load` on the
/// device itself for changes; `crypt_format` for fresh volumes.
public struct CryptsetupVolumes: LUKSVolumeOpener {
    public let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    /// The sparse copy (`LUKS2HeaderCopy`: headers and active keyslot areas only) first; when
    /// that fails (e.g. a damaged primary header libcryptsetup would recover from the secondary),
    /// a full `crypt_header_backup`.
    public func openHeaderCopy(device: String, copyPath: String) throws(LUKSVolumeError) -> any LUKSVolume {
        do { return CryptsetupVolume(device: try LUKS2HeaderCopy.make(device: device, copyPath: copyPath, logger: logger)) } catch {
            logger.info("sparse header copy of \(device) failed (\(error)); using crypt_header_backup")
            unlink(copyPath)
        }
        do {
            let original = try CryptDevice(path: device, logger: logger)
            try original.loadLUKS2()
            try original.backupHeader(to: copyPath)
            let copy = try CryptDevice(headerPath: copyPath, dataDevice: device, logger: logger)
            try copy.loadLUKS2()
            return CryptsetupVolume(device: copy)
        } catch { throw CryptsetupVolume.map(error) }
    }

    public func openForEditing(device: String) throws(LUKSVolumeError) -> any LUKSEditableVolume {
        do {
            let opened = try CryptDevice(path: device, logger: logger)
            try opened.loadLUKS2()
            return CryptsetupVolume(device: opened)
        } catch { throw CryptsetupVolume.map(error) }
    }

    /// The volume-key digest gets the machine-key PBKDF (the volume key is 512 random bits, so
    /// iterations add nothing but unlock time). A device that refuses the preferred sector size
    /// (`EINVAL`: size or logical block size not aligned) is formatted with 512-byte sectors.
    public func format(device: String, settings: LUKSFormatSettings, keyslots: [LUKSNewKeyslot]) throws(LUKSVolumeError)
        -> (volume: any LUKSEditableVolume, keyslots: [Int])
    {
        do {
            let formatted = try formatted(device: device, settings: settings)
            var slots: [Int] = []
            for keyslot in keyslots {
                try formatted.setPBKDF(Self.parameters(keyslot.kind))
                slots.append(try formatted.addKeyslot(volumeKey: nil, passphrase: keyslot.key))
            }
            return (CryptsetupVolume(device: formatted), slots)
        } catch { throw CryptsetupVolume.map(error) }
    }

    /// A context right after `crypt_format` (it holds the new volume key).
    func formatted(device: String, settings: LUKSFormatSettings) throws(CryptsetupError) -> CryptDevice {
        let sectorSizes: [UInt32] = settings.sectorSize == 512 ? [512] : [settings.sectorSize, 512]
        for sectorSize in sectorSizes {
            let candidate = try CryptDevice(path: device, logger: logger)
            try candidate.setPBKDF(.machineKey)
            do {
                try candidate.formatLUKS2(cipher: settings.cipher, mode: settings.mode, volumeKey: nil, volumeKeySize: settings.volumeKeyBytes,
                                          label: settings.label, sectorSize: sectorSize)
                return candidate
            } catch {
                guard error.errno == ErrnoName.EINVAL, sectorSize != 512 else { throw error }
                logger.info("\(device) refuses \(sectorSize)-byte sectors; formatting with 512-byte sectors")
            }
        }
        throw CryptsetupError(operation: "crypt_format", device: device, errno: ErrnoName.EINVAL)
    }

    /// The KDF for each kind of keyslot. The recovery costs (argon2id, 4 passes, 256 MiB, 2
    /// threads) stay inside `LUKS2HeaderPolicy.default` and fit a small initramfs.
    static func parameters(_ kind: LUKSKeyslotKind) -> PBKDFParameters {
        switch kind {
        case .machineKey: return .machineKey
        case .recoveryPassphrase: return PBKDFParameters(kind: .argon2id, iterations: 4, maxMemoryKB: 256 * 1024, parallelThreads: 2)
        }
    }
}

/// One opened `CryptDevice` seen through the platform protocols.
final class CryptsetupVolume: LUKSEditableVolume {
    let device: CryptDevice
    init(device: CryptDevice) { self.device = device }

    var uuid: String? { device.uuid }

    func metadataJSON() throws(LUKSVolumeError) -> String {
        do { return try device.metadataJSON() } catch { throw Self.map(error) }
    }

    func tokenJSON(_ token: Int) throws(LUKSVolumeError) -> String? {
        do { return try device.tokenJSON(token) } catch { throw Self.map(error) }
    }

    func activate(name: String?, key: SecretBytes, keyslot: Int?) throws(LUKSVolumeError) {
        do { try device.activate(name: name, passphrase: key, keyslot: keyslot) } catch { throw Self.map(error) }
    }

    func keyslotOpened(by key: SecretBytes, keyslot: Int?) throws(LUKSVolumeError) -> Int? {
        do { return try device.activate(name: nil, passphrase: key, keyslot: keyslot) } catch {
            // EPERM: no keyslot opens with this key; ENOENT: the named keyslot is not active.
            if error.errno == ErrnoName.EPERM || error.errno == ErrnoName.ENOENT { return nil }
            throw Self.map(error)
        }
    }

    func addKeyslot(_ kind: LUKSKeyslotKind, key: SecretBytes, authorizedBy existingKey: SecretBytes) throws(LUKSVolumeError) -> Int {
        do {
            try device.setPBKDF(CryptsetupVolumes.parameters(kind))
            return try device.addKeyslot(existingPassphrase: existingKey, newPassphrase: key)
        } catch { throw Self.map(error) }
    }

    func destroyKeyslot(_ slot: Int) throws(LUKSVolumeError) {
        do { try device.destroyKeyslot(slot) } catch { throw Self.map(error) }
    }

    @discardableResult
    func setTokenJSON(_ json: String?, token: Int?) throws(LUKSVolumeError) -> Int {
        do { return try device.setTokenJSON(json, token: token) } catch { throw Self.map(error) }
    }

    static func map(_ error: CryptsetupError) -> LUKSVolumeError {
        LUKSVolumeError(operation: error.operation, device: error.device, errno: error.errno, message: error.message)
    }
}
