import ArgumentParser
import GuestGuardLinux
import GuestGuardPlatform

/// File access for command-line arguments: relative paths are taken from the working directory.
enum CLIFiles {
    static let files = HostFileSystem()

    static func absolute(_ path: String) -> String { HostFileSystem.absolutePath(path) }

    static func read(_ path: String, option: String, limit: Int = 16 << 20) throws -> [UInt8] {
        do { return try files.readFile(absolute(path), limit: limit) } catch { throw CLIError(message: "\(option) \(path)", causes: ["\(error)"]) }
    }

    /// Runs `body` over a file's bytes, mapped rather than copied where possible (blobs only hashed).
    static func withContents<R>(_ path: String, option: String, limit: Int, _ body: (UnsafeRawBufferPointer) -> R) throws -> R {
        do { return try files.withContents(of: absolute(path), limit: limit, body) } catch { throw CLIError(message: "\(option) \(path)", causes: ["\(error)"]) }
    }

    static func write(_ path: String, _ bytes: [UInt8], mode: UInt32 = 0o644) throws {
        do { try files.writeFile(absolute(path), bytes: bytes, mode: mode) } catch { throw CLIError(message: "cannot write \(path)", causes: ["\(error)"]) }
    }

    static func makeDirectory(_ path: String) throws {
        do { try files.createDirectory(absolute(path), mode: 0o755) } catch { throw CLIError(message: "cannot create \(path)", causes: ["\(error)"]) }
    }
}
