import GuestGuardPlatform
import Logging

/// `LUKSVolumeOpener` over libcryptsetup: `crypt_header_backup` of the device into the copy, then
/// `crypt_init_data_device(copy, device)` + `crypt_load`.
public struct CryptsetupVolumes: LUKSVolumeOpener {
    public let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func openHeaderCopy(device: String, copyPath: String) throws(LUKSVolumeError) -> any LUKSVolume {
        do {
            let original = try CryptDevice(path: device, logger: logger)
            try original.loadLUKS2()
            try original.backupHeader(to: copyPath)
            let copy = try CryptDevice(headerPath: copyPath, dataDevice: device, logger: logger)
            try copy.loadLUKS2()
            return CryptsetupVolume(device: copy)
        } catch {
            throw LUKSVolumeError(operation: error.operation, device: error.device, errno: error.errno, message: error.message)
        }
    }
}

final class CryptsetupVolume: LUKSVolume {
    let device: CryptDevice
    init(device: CryptDevice) { self.device = device }

    func metadataJSON() throws(LUKSVolumeError) -> String {
        do { return try device.metadataJSON() } catch { throw Self.map(error) }
    }

    func tokenJSON(_ token: Int) throws(LUKSVolumeError) -> String? {
        do { return try device.tokenJSON(token) } catch { throw Self.map(error) }
    }

    func activate(name: String?, key: SecretBytes, keyslot: Int?) throws(LUKSVolumeError) {
        do { try device.activate(name: name, passphrase: key, keyslot: keyslot) } catch { throw Self.map(error) }
    }

    static func map(_ error: CryptsetupError) -> LUKSVolumeError {
        LUKSVolumeError(operation: error.operation, device: error.device, errno: error.errno, message: error.message)
    }
}
