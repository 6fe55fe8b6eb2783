#if canImport(Glibc)
import Glibc
#endif

/// Runs `python3` as an independent peer implementation in interop tests (`cryptography`,
/// `jwcrypto`, `rfc8785`, `tomllib`; `make deps` installs the PyPI ones). A missing package fails
/// the test rather than skipping it. Foundation-free (posix_spawn and pipes), like the rest of
/// this target. The corresponding C functions are `posix_spawnp`, `pipe2` and `waitpid`.
public enum PythonPeer {
    public struct Failure: Error, CustomStringConvertible {
        public let status: Int32
        public let stderr: String
        public var description: String { "python3 exited with \(status): \(stderr)" }
    }

    /// Runs `script` with `arguments` and `input` on standard input; returns standard output.
    /// Standard error is returned only in a failure (warnings, e.g. about serial number 0, are ignored).
    public static func run(_ script: String, arguments: [String] = [], input: [UInt8]? = nil) throws -> String {
        let scratch = TemporaryFileTree(prefix: "guestguard-python")
        scratch.write("/stdin", bytes: input ?? [])
        let argv = ["python3", "-c", script] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, scratch.root + "/stdin", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, scratch.root + "/stdout", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, scratch.root + "/stderr", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "python3", &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw Failure(status: -1, stderr: "posix_spawnp python3: errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let stdout = (try? scratch.fileSystem.readText("/stdout", limit: 64 << 20)) ?? ""
        guard exitCode == 0 else { throw Failure(status: exitCode, stderr: (try? scratch.fileSystem.readText("/stderr", limit: 1 << 20)) ?? "") }
        return stdout
    }

    /// Writes `bytes` to a fresh temporary file (kept until the process ends) and returns its path.
    public static func temporaryFile(_ bytes: [UInt8], suffix: String) throws -> String {
        let path = temporaryFile("guestguard") + (suffix.hasPrefix(".") ? suffix : "." + suffix)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(status: -1, stderr: "cannot create \(path): errno \(errno)") }
        defer { close(fd) }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return path
    }

    /// A fresh path in /tmp.
    public static func temporaryFile(_ name: String) -> String {
        let random = UInt64.random(in: 0...UInt64.max)
        return "/tmp/\(name)-\(String(random, radix: 16))"
    }
}
