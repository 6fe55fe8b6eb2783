#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform

/// Runs a program by absolute path with a fixed minimal environment and captures its output.
///
/// Foundation-free: `pipe` (both ends `FD_CLOEXEC`), `posix_spawn` with `dup2` file actions, `read` until
/// end of file (bounded), then `waitpid`. Standard input is `/dev/null`. No shell is involved, so
/// arguments are passed as they are. The corresponding C functions are `posix_spawn`, `pipe`,
/// `read` and `waitpid`.
public struct ProgramRunner: Sendable {
    /// What a finished program left behind.
    public struct Outcome: Sendable, Hashable {
        /// The exit status, or 128 + the signal number when it was killed.
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
    }

    /// The environment every program gets: no locale surprises, no pager, no colours.
    public static let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", "SYSTEMD_PAGER=", "SYSTEMD_COLORS=0"]
    /// Bound on each captured stream.
    public static let outputLimit = 1 << 20

    public init() {}

    public func run(_ program: String, _ arguments: [String]) throws(PlatformError) -> Outcome {
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        guard Self.makePipe(&outputPipe) else { throw PlatformError(operation: "pipe", target: program, errno: errno) }
        guard Self.makePipe(&errorPipe) else {
            let code = errno
            close(outputPipe[0]); close(outputPipe[1])
            throw PlatformError(operation: "pipe", target: program, errno: code)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        var argv = ([program] + arguments).map { strdup($0) } + [nil]
        var envp = Self.environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, nil, &argv, &envp)
        close(outputPipe[1])
        close(errorPipe[1])
        defer { close(outputPipe[0]); close(errorPipe[0]) }
        guard spawned == 0 else { throw PlatformError(operation: "posix_spawn", target: program, errno: spawned) }
        let output = Self.drain(outputPipe[0])
        let error = Self.drain(errorPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            let code = errno
            if code != EINTR { throw PlatformError(operation: "waitpid", target: program, errno: code) }
        }
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Outcome(status: exit, standardOutput: String(decoding: output, as: UTF8.self), standardError: String(decoding: error, as: UTF8.self))
    }

    /// `pipe` with `FD_CLOEXEC` on both ends (glibc's `pipe2` needs `_GNU_SOURCE`, which Swift's
    /// Glibc module does not define), so no other spawned program inherits them.
    static func makePipe(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    /// Reads to end of file, keeping at most `outputLimit` bytes (the rest is read and dropped so
    /// the child never blocks on a full pipe).
    static func drain(_ fd: Int32) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let (count, _) = retryingOnInterrupt { chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } }
            if count <= 0 { return result }
            if result.count < outputLimit { result.append(contentsOf: chunk[0..<min(count, outputLimit - result.count)]) }
        }
    }
}
