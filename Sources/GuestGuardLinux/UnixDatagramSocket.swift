#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform

/// One AF_UNIX datagram to a socket path, or to an abstract name written `@name` (as
/// `$NOTIFY_SOCKET` does for `sd_notify(3)`). The C functions are `socket` and `sendto`.
public enum UnixDatagramSocket {
    /// Sends `message` as one datagram; a datagram the socket does not take whole is `EMSGSIZE`.
    public static func send(_ message: [UInt8], to path: String) throws(PlatformError) {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw PlatformError(operation: "socket(AF_UNIX, SOCK_DGRAM)", target: path, errno: errno) }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(path.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }  // abstract namespace
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw PlatformError(operation: "sendto", target: path, errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { sunPath in
            for (index, byte) in pathBytes.enumerated() { sunPath[index] = byte }
        }
        // Abstract names are exactly as long as given; paths carry their terminating NUL.
        let pathLength = pathBytes.first == 0 ? pathBytes.count : pathBytes.count + 1
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathLength)
        let (sent, code) = retryingOnInterrupt {
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, length) }
                }
            }
        }
        guard sent == message.count else {
            throw PlatformError(operation: "sendto", target: path, errno: sent < 0 ? code : EMSGSIZE)
        }
    }
}
