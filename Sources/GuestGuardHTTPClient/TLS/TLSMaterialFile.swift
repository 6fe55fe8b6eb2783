import GuestGuardLinux
import GuestGuardPlatform

/// Reads a certificate or key file (at most 1 MiB) for TLS configuration, through
/// `HostFileSystem` (GuestGuardLinux: `open` with close-on-exec, `read`).
func readFileForTLS(_ path: String, what: String) throws(TLSError) -> [UInt8] {
    do throws(PlatformError) {
        return try HostFileSystem().readFile(HostFileSystem.absolutePath(path), limit: 1024 * 1024)
    } catch where error.errno == ErrnoName.EFBIG {
        throw .invalidConfiguration(what: "\(what) \(path) (larger than 1 MiB)", openSSL: nil)
    } catch {
        throw .invalidConfiguration(what: "\(what) \(path) (\(error.errnoName))", openSSL: nil)
    }
}
