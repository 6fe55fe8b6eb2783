import GuestGuardLinux
import GuestGuardPlatform
import Logging

/// File access for command-line arguments: relative paths are taken from the working directory.
public enum CLIFiles {
    public static let files = HostFileSystem()

    public static func absolute(_ path: String) -> String { HostFileSystem.absolutePath(path) }

    public static func read(_ path: String, option: String, limit: Int = 16 << 20) throws -> [UInt8] {
        do { return try files.readFile(absolute(path), limit: limit) } catch { throw CLIError(message: "\(option) \(path)", causes: ["\(error)"]) }
    }

    /// Runs `body` over a file's bytes, mapped rather than copied where possible (blobs only hashed).
    public static func withContents<R>(_ path: String, option: String, limit: Int, _ body: (UnsafeRawBufferPointer) -> R) throws -> R {
        do { return try files.withContents(of: absolute(path), limit: limit, body) } catch { throw CLIError(message: "\(option) \(path)", causes: ["\(error)"]) }
    }

    public static func write(_ path: String, _ bytes: [UInt8], mode: UInt32 = 0o644) throws {
        do { try files.writeFile(absolute(path), bytes: bytes, mode: mode) } catch { throw CLIError(message: "cannot write \(path)", causes: ["\(error)"]) }
    }

    /// Writes key material from its wiped buffer (no intermediate array).
    public static func write(_ path: String, _ secret: SecretBytes, mode: UInt32) throws {
        do {
            try secret.withUnsafeBytes { (contents) throws(PlatformError) in try files.writeFile(absolute(path), contents: contents, mode: mode) }
        } catch {
            throw CLIError(message: "cannot write \(path)", causes: ["\(error)"])
        }
    }

    public static func makeDirectory(_ path: String) throws {
        do { try files.createDirectory(absolute(path), mode: 0o755) } catch { throw CLIError(message: "cannot create \(path)", causes: ["\(error)"]) }
    }
}

/// Standard error without Foundation.
public enum FileHandleStandardError {
    public static func write(_ text: String) { OutputDescriptor.standardError.writeBestEffort(text) }
}

/// Standard output without stdio's buffer. Under systemd (`guestguard-unlock.service`) standard
/// output is journald's socket, so `print` is fully buffered, and a boot that then powers off with
/// `reboot(2)` loses every line it printed: each console line goes out with its own `write(2)`.
public enum FileHandleStandardOutput {
    public static func writeLine(_ line: String) { OutputDescriptor.standardOutput.writeBestEffort(line + "\n") }
}

/// The logger for libcryptsetup's messages (through `CryptsetupLogBridge`): warnings and errors only.
public enum VolumeLogger {
    public static var standard: Logger {
        var logger = Logger(label: "guestguard")
        logger.logLevel = .warning
        return logger
    }
}

/// The version every guestguard executable reports (and sends as its HTTP User-Agent).
public enum GuestGuardVersion {
    public static let string = "0.1.0"
}

extension String {
    /// One console line.
    public func replacingNewlines() -> String { String(map { $0 == "\n" ? " " : $0 }) }
}
