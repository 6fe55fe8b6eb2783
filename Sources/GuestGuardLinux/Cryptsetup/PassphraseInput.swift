#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform

/// Reads an existing LUKS passphrase straight into locked memory: from a key file (its whole
/// contents, as `cryptsetup --key-file` does) or from the controlling terminal with echo off
/// (one line, without the newline). Never from the command line or the environment, where other
/// processes could read it.
public enum PassphraseInput {
    /// Longest passphrase or key file accepted (cryptsetup's default key-file limit is 8 MiB;
    /// a passphrase longer than this is a mistake).
    public static let maximumBytes = 8192

    /// The whole file, at most `maximumBytes`. The corresponding C functions are `open` and `read`.
    public static func keyFile(_ path: String) throws(PlatformError) -> SecretBytes {
        let (fd, code) = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw PlatformError(operation: "open", target: path, errno: code) }
        defer { close(fd) }
        let buffer = SecretBytes(zeroedCount: maximumBytes + 1)
        let total = try buffer.withUnsafeMutableBytes { (bytes) throws(PlatformError) -> Int in
            var total = 0
            while total < bytes.count {
                let (count, code) = retryingOnInterrupt { read(fd, bytes.baseAddress! + total, bytes.count - total) }
                if count < 0 { throw PlatformError(operation: "read", target: path, errno: code) }
                if count == 0 { break }
                total += count
            }
            return total
        }
        guard total <= maximumBytes else { throw PlatformError(operation: "read", target: path, errno: ErrnoName.EFBIG, detail: "longer than \(maximumBytes) bytes") }
        guard total > 0 else { throw PlatformError(operation: "read", target: path, errno: ErrnoName.ENODATA, detail: "empty key file") }
        return buffer.withUnsafeBytes { SecretBytes(copying: $0[0..<total]) }
    }

    /// Prompts on `/dev/tty` with echo off and reads one line. The corresponding C functions are
    /// `tcgetattr`, `tcsetattr` and `read`.
    public static func prompt(_ text: String, terminal: String = "/dev/tty") throws(PlatformError) -> SecretBytes {
        let (fd, code) = retryingOnInterrupt { open(terminal, O_RDWR | O_CLOEXEC | O_NOCTTY) }
        guard fd >= 0 else { throw PlatformError(operation: "open", target: terminal, errno: code, detail: "no terminal to prompt on; use --key-file") }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { throw PlatformError(operation: "tcgetattr", target: terminal, errno: errno) }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO | ECHONL)
        quiet.c_lflag |= tcflag_t(ICANON)
        guard tcsetattr(fd, TCSAFLUSH, &quiet) == 0 else { throw PlatformError(operation: "tcsetattr", target: terminal, errno: errno) }
        defer {
            tcsetattr(fd, TCSAFLUSH, &saved)
            _ = "\n".withCString { write(fd, $0, 1) }
        }
        _ = text.withCString { write(fd, $0, strlen($0)) }
        let buffer = SecretBytes(zeroedCount: maximumBytes)
        let total = try buffer.withUnsafeMutableBytes { (bytes) throws(PlatformError) -> Int in
            var total = 0
            while total < bytes.count {
                let (count, code) = retryingOnInterrupt { read(fd, bytes.baseAddress! + total, 1) }
                if count < 0 { throw PlatformError(operation: "read", target: terminal, errno: code) }
                if count == 0 || bytes[total] == UInt8(ascii: "\n") { break }
                total += 1
            }
            return total
        }
        guard total > 0 else { throw PlatformError(operation: "read", target: terminal, errno: ErrnoName.ENODATA, detail: "empty passphrase") }
        return buffer.withUnsafeBytes { SecretBytes(copying: $0[0..<total]) }
    }
}
