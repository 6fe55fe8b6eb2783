#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform
import SystemPackage

/// Reads an existing LUKS passphrase straight into locked memory: from a key file (its whole
/// contents, as `cryptsetup --key-file` does) or from the controlling terminal with echo off
/// (one line, without the newline). Never from the command line or the environment, where other
/// processes could read it.
public enum PassphraseInput {
    /// Longest passphrase or key file accepted (cryptsetup's default key-file limit is 8 MiB;
    /// a passphrase longer than this is a mistake).
    public static let maximumBytes = 8192

    /// The whole file, at most `maximumBytes`, read straight into locked memory (a missing file
    /// throws `ENOENT`). The corresponding C functions are `open` and `read` (swift-system's
    /// `FileDescriptor`, close-on-exec, retried on EINTR).
    public static func keyFile(_ path: String) throws(PlatformError) -> SecretBytes {
        let buffer = SecretBytes(zeroedCount: maximumBytes + 1)
        let total = try withOpenedFile(path) { (fd) throws(PlatformError) -> Int in
            try buffer.withUnsafeMutableBytes { (bytes) throws(PlatformError) -> Int in try fd.readFully(into: bytes, target: path) }
        }
        guard total <= maximumBytes else { throw PlatformError(operation: "read", target: path, errno: ErrnoName.EFBIG, detail: "longer than \(maximumBytes) bytes") }
        guard total > 0 else { throw PlatformError(operation: "read", target: path, errno: ErrnoName.ENODATA, detail: "empty key file") }
        return buffer.withUnsafeBytes { SecretBytes(copying: $0[0..<total]) }
    }

    /// Prompts on `/dev/tty` with echo off and reads one line. The corresponding C functions are
    /// `open` and `read` (swift-system's `FileDescriptor`), `tcgetattr` and `tcsetattr`.
    public static func prompt(_ text: String, terminal: String = "/dev/tty") throws(PlatformError) -> SecretBytes {
        let file: FileDescriptor
        do { file = try openFile(terminal, .readWrite, options: .noControllingTerminal) } catch {
            throw PlatformError(operation: "open", target: terminal, errno: error.errno, detail: "no terminal to prompt on; use --key-file")
        }
        defer { try? file.close() }
        let fd = file.rawValue
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { throw PlatformError(operation: "tcgetattr", target: terminal, errno: errno) }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO | ECHONL)
        quiet.c_lflag |= tcflag_t(ICANON)
        guard tcsetattr(fd, TCSAFLUSH, &quiet) == 0 else { throw PlatformError(operation: "tcsetattr", target: terminal, errno: errno) }
        defer {
            tcsetattr(fd, TCSAFLUSH, &saved)
            _ = try? file.writeAll("\n".utf8)
        }
        _ = try? file.writeAll(text.utf8)
        let buffer = SecretBytes(zeroedCount: maximumBytes)
        let total = try buffer.withUnsafeMutableBytes { (bytes) throws(PlatformError) -> Int in
            var total = 0
            while total < bytes.count {
                let count = try file.readSome(into: UnsafeMutableRawBufferPointer(rebasing: bytes[total..<(total + 1)]), target: terminal)
                if count == 0 || bytes[total] == UInt8(ascii: "\n") { break }
                total += 1
            }
            return total
        }
        guard total > 0 else { throw PlatformError(operation: "read", target: terminal, errno: ErrnoName.ENODATA, detail: "empty passphrase") }
        return buffer.withUnsafeBytes { SecretBytes(copying: $0[0..<total]) }
    }
}
