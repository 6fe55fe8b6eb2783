#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads a certificate or key file (at most 1 MiB) for TLS configuration.
/// The corresponding C functions are `open` and `read`.
func readFileForTLS(_ path: String, what: String) throws(TLSError) -> [UInt8] {
    let limit = 1024 * 1024
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        throw .invalidConfiguration(what: "\(what) \(path) (\(String(cString: strerror(errno))))", openSSL: nil)
    }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw .invalidConfiguration(what: "\(what) \(path) (\(String(cString: strerror(errno))))", openSSL: nil)
        }
        if count == 0 { return bytes }
        bytes += chunk[..<count]
        guard bytes.count <= limit else {
            throw .invalidConfiguration(what: "\(what) \(path) (larger than 1 MiB)", openSSL: nil)
        }
    }
}
