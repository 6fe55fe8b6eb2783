#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform
import Logging

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
        let (fd, openError) = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) }
        guard fd >= 0 else { throw LUKSVolumeError(operation: "open", device: path, errno: openError, message: nil) }
        defer { close(fd) }
        var prefix = [UInt8](repeating: 0, count: 8)
        let (count, readError) = retryingOnInterrupt { prefix.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 8, 0) } }
        guard count >= 0 else { throw LUKSVolumeError(operation: "pread", device: path, errno: readError, message: nil) }
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
