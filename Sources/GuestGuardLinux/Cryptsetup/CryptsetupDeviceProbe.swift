#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform
import Logging
import SystemPackage

/// `LUKSDeviceProbe` over `pread` (the magic) and libcryptsetup (`crypt_load` + tokens), with
/// device paths placed under `root` like `HostFileSystem(root:)` does ("" for the real root;
/// a temporary tree whose `/dev` holds image files in tests).
public struct CryptsetupDeviceProbe: LUKSDeviceProbe {
    public let files: HostFileSystem
    public let logger: Logger
    /// LUKS2 allows 32 tokens (`LUKS2_TOKENS_MAX`).
    static let tokenSlots = 32

    public init(root: String = "", logger: Logger) {
        files = HostFileSystem(root: root)
        self.logger = logger
    }

    /// The corresponding C functions are `open` and `pread`.
    public func luksVersion(device: String) throws(LUKSVolumeError) -> Int? {
        let path = files.hostPath(device)
        var prefix = [UInt8](repeating: 0, count: 8)
        let count: Int
        do {
            count = try withOpenedFile(path, options: [.noControllingTerminal]) { (fd) throws(PlatformError) in
                try fd.readFully(fromAbsoluteOffset: 0, into: &prefix, target: path)
            }
        } catch { throw LUKSVolumeError(operation: error.operation, device: path, errno: error.errno, message: nil) }
        return LUKS2TokenListing.version(prefix: prefix[0..<count])
    }

    public func luks2Tokens(device: String) throws(LUKSVolumeError) -> LUKS2TokenListing {
        let path = files.hostPath(device)
        do {
            let opened = try CryptDevice(path: path, logger: logger)
            try opened.loadLUKS2()
            var tokens: [Int: String] = [:]
            for id in 0..<Self.tokenSlots {
                if let json = try opened.tokenJSON(id) { tokens[id] = json }
            }
            return LUKS2TokenListing(uuid: opened.uuid ?? "", tokens: tokens)
        } catch { throw CryptsetupVolume.map(error) }
    }
}
