#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform

/// Runs a program by absolute path with a fixed minimal environment and captures its output: the one
/// process runner of guestguard (systemctl for the deny engine; python3, swtpm and the CLI in tests).
///
/// Synchronous, on the calling thread, with no Swift concurrency inside (``SpawnedProgram``): a
/// caller on a cooperative-pool thread (the posture refresher, `deny`) blocks that one thread, and the
/// run needs no other, so it completes on a one-vCPU guest whose pool has a single thread. It fixes
/// what the first hand-written `posix_spawn` runner got wrong:
/// - standard output and standard error are read concurrently (one `poll` loop, which also writes
///   standard input without blocking), so a child that writes more than a pipe's 64 KiB to standard
///   error before closing standard output cannot deadlock us;
/// - its pipes are made with `pipe2(O_CLOEXEC)` and the child closes every other descriptor
///   (`posix_spawn_file_actions_addclosefrom_np`), so no descriptor of ours (a LUKS key file, a
///   socket) leaks into a program, not even one opened without close-on-exec, or by another thread
///   during the spawn;
/// - every run has a deadline: a child still running at `timeout` gets SIGTERM, then SIGKILL after
///   ``terminationGrace``, is reaped, and the run throws ``PlatformError`` with `ETIMEDOUT`.
/// The child starts with no signal blocked and default signal actions. No shell is involved, so
/// arguments are passed as they are. The C functions are in `CGuestGuardLinux/spawn.c`.
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
    /// Bound on each captured stream; a program that prints more is killed and the run fails with `EFBIG`.
    public static let outputLimit = 1 << 20
    /// How long `systemctl` may take by default (it waits on D-Bus; a hung PID 1 must not hang guestguard).
    public static let defaultTimeout: Duration = .seconds(60)
    /// Between SIGTERM and SIGKILL once the deadline has passed.
    public static let terminationGrace: Duration = .milliseconds(500)

    /// This process's own environment (`environ`), for test peers that need the caller's `PATH` or
    /// `PYTHONPATH`; production runs use ``environment``.
    public static var inheritedEnvironment: [String] {
        var entries: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            entries.append(String(cString: entry))
            cursor += 1
        }
        return entries
    }

    public let timeout: Duration
    /// `KEY=VALUE` entries; ``environment`` unless given.
    public let environmentEntries: [String]
    public let outputLimit: Int

    public init(timeout: Duration = ProgramRunner.defaultTimeout, environment: [String] = ProgramRunner.environment,
                outputLimit: Int = ProgramRunner.outputLimit) {
        self.timeout = timeout
        self.environmentEntries = environment
        self.outputLimit = outputLimit
    }

    /// Runs `program` with `arguments`, `input` on standard input (empty: end of file at once), in
    /// `workingDirectory` (ours when nil), and waits on this thread for it to exit or for ``timeout``.
    /// `program` is an absolute path; a bare name (test peers: `python3`) is looked up in the `PATH`
    /// of ``environmentEntries``. A missing program throws `ENOENT`.
    public func run(_ program: String, _ arguments: [String], input: [UInt8] = [], workingDirectory: String? = nil) throws(PlatformError) -> Outcome {
        let path = try resolve(program)
        var spawned = try SpawnedProgram(path: path, arguments: arguments, environment: environmentEntries, input: input, workingDirectory: workingDirectory)
        return try spawned.finish(timeout: timeout, grace: Self.terminationGrace, limit: outputLimit)
    }

    /// The synchronous `run(_:_:input:workingDirectory:)` for async callers that must not hold a
    /// cooperative-pool thread while a program runs (a test whose in-process server answers the
    /// program): the run happens on a new thread of its own, and the caller is resumed when it is done.
    public func run(_ program: String, _ arguments: [String], input: [UInt8] = [], workingDirectory: String? = nil) async throws(PlatformError) -> Outcome {
        let runner = self
        let result: Result<Outcome, PlatformError> = await withCheckedContinuation { continuation in
            Self.detachThread {
                continuation.resume(returning: Result { () throws(PlatformError) in
                    try runner.run(program, arguments, input: input, workingDirectory: workingDirectory)
                })
            }
        }
        return try result.get()
    }

    /// `program` itself when it contains a `/`; otherwise the first executable `DIR/program` for the
    /// directories of the environment's `PATH` (as `execvpe` searches it).
    package func resolve(_ program: String) throws(PlatformError) -> String {
        if program.contains("/") { return program }
        let searchPath = environmentEntries.last { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) } ?? ""
        for directory in searchPath.split(separator: ":") where directory.hasPrefix("/") {
            let candidate = "\(directory)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw PlatformError(operation: "posix_spawn", target: program, errno: ErrnoName.ENOENT, detail: "not found in PATH=\(searchPath)")
    }

    /// Runs `body` on a new detached thread (`pthread_create`); on the calling thread if none can be made.
    package static func detachThread(_ body: @escaping @Sendable () -> Void) {
        final class Body: Sendable {
            let run: @Sendable () -> Void
            init(_ run: @escaping @Sendable () -> Void) { self.run = run }
        }
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            body()
            return
        }
        pthread_detach(thread)
    }
}
