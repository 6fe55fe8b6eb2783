import GuestGuardLinux
import GuestGuardLinuxProcesses
import GuestGuardPlatform

/// Runs `python3` as an independent peer implementation in interop tests (`cryptography`,
/// `jwcrypto`, `rfc8785`, `tomllib`; `make deps` installs the PyPI ones). A missing package fails
/// the test rather than skipping it. Through `ProgramRunner` (posix_spawn + poll), like every
/// program guestguard runs.
public enum PythonPeer {
    public struct Failure: Error, CustomStringConvertible {
        public let status: Int32
        public let stderr: String
        public var description: String { "python3 exited with \(status): \(stderr)" }
    }

    /// Looked up in `PATH` (a pyenv shim comes before /usr/bin/python3 where one is installed).
    static let python = "python3"
    /// Key generation in pure Python can be slow on a loaded machine; a hung peer still ends.
    static let runner = ProgramRunner(timeout: .seconds(300), environment: ProgramRunner.inheritedEnvironment, outputLimit: 64 << 20)

    /// Runs `script` with `arguments` and `input` on standard input; returns standard output.
    /// Standard error is returned only in a failure (warnings, e.g. about serial number 0, are ignored).
    public static func run(_ script: String, arguments: [String] = [], input: [UInt8]? = nil) throws -> String {
        let outcome: ProgramRunner.Outcome
        do { outcome = try runner.run(python, ["-c", script] + arguments, input: input ?? []) } catch {
            throw Failure(status: -1, stderr: "\(error)")
        }
        guard outcome.status == 0 else { throw Failure(status: outcome.status, stderr: outcome.standardError) }
        return outcome.standardOutput
    }

    /// Writes `bytes` to a fresh temporary file (kept until the process ends) and returns its path.
    public static func temporaryFile(_ bytes: [UInt8], suffix: String) throws -> String {
        let path = temporaryFile("guestguard") + (suffix.hasPrefix(".") ? suffix : "." + suffix)
        try HostFileSystem().writeFile(path, bytes: bytes, mode: 0o600)
        return path
    }

    /// A fresh path in a temporary directory removed when the test process exits.
    public static func temporaryFile(_ name: String) -> String {
        let random = UInt64.random(in: 0...UInt64.max)
        return TemporaryFileTree.shared.root + "/\(name)-\(String(random, radix: 16))"
    }
}
