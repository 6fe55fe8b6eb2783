#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardPlatform
import Subprocess
import SystemPackage

/// Runs a program by absolute path with a fixed minimal environment and captures its output: the one
/// process runner of guestguard (systemctl for the deny engine; python3, swtpm and the CLI in tests).
///
/// Built on swiftlang/swift-subprocess (Foundation-free with `traits: []`), which fixes what the
/// hand-written `posix_spawn` runner got wrong:
/// - standard output and standard error are read concurrently (epoll), so a child that writes more
///   than a pipe's 64 KiB to standard error before closing standard output cannot deadlock us;
/// - its pipes are made with `pipe2(O_CLOEXEC)` and the child closes every other descriptor
///   (`posix_spawn_file_actions_addclosefrom_np`), so no descriptor of ours (a LUKS key file, a
///   socket) leaks into a program, not even one opened by another thread during the spawn;
/// - every run has a deadline: a child still running at `timeout` gets SIGTERM, then SIGKILL after a
///   grace period, and the run throws ``PlatformError`` with `ETIMEDOUT`.
/// No shell is involved, so arguments are passed as they are.
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
    /// Bound on each captured stream; a program that prints more fails with `EFBIG`.
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

    /// Runs `program` (an absolute path; a bare name is looked up in `PATH`, for test peers) with `arguments`, `input` on standard input (empty: end of
    /// file at once), in `workingDirectory` (ours when nil), and waits for it to exit or for ``timeout``.
    public func run(_ program: String, _ arguments: [String], input: [UInt8] = [], workingDirectory: String? = nil) async throws(PlatformError) -> Outcome {
        let options = { () -> PlatformOptions in
            var options = PlatformOptions()
            options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: Self.terminationGrace)]
            return options
        }()
        let limit = outputLimit, timeout = timeout
        // Raw entries are handed to execve as they are: each needs its terminating NUL.
        let environment = Environment.custom(environmentEntries.map { Array($0.utf8) + [0] })
        let outcome: Result<Outcome, PlatformError>? = await withTaskGroup(of: Result<Outcome, PlatformError>?.self) { group in
            group.addTask {
                do {
                    let result = try await Subprocess.run(
                        program.contains("/") ? .path(FilePath(program)) : .name(program), arguments: Arguments(arguments), environment: environment,
                        workingDirectory: workingDirectory.map { FilePath($0) }, platformOptions: options, input: .array(input), output: .bytes(limit: limit), error: .bytes(limit: limit)
                    )
                    return .success(Outcome(status: Self.exitStatus(result.terminationStatus),
                                            standardOutput: String(decoding: result.standardOutput, as: UTF8.self),
                                            standardError: String(decoding: result.standardError, as: UTF8.self)))
                } catch let error as SubprocessError {
                    return .failure(Self.platformError(error, program: program, limit: limit))
                } catch {
                    // Cancelled by the deadline below: the child has been torn down.
                    return nil
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            // The first to finish decides: the program's outcome, or the deadline (nil).
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch outcome {
        case .success(let outcome): return outcome
        case .failure(let error): throw error
        case nil:
            throw PlatformError(operation: "run", target: program, errno: ErrnoName.ETIMEDOUT,
                                detail: "still running after \(timeout); killed (SIGTERM, then SIGKILL)")
        }
    }

    /// ``run(_:_:input:)`` for synchronous callers (the `ServiceManager` protocol is synchronous).
    /// The run happens on ``ProgramRunner/executor``, a thread of its own. One part still needs Swift's
    /// cooperative pool: swift-subprocess runs its cleanup handler in an unstructured task. **Known hazard
    /// (open, issue 14):** when every pool thread is blocked in a synchronous run, that task never starts
    /// and the runs deadlock — seen here with two blocking callers on two cores; on a one-vCPU guest a
    /// single caller on the pool (the posture refresher, `deny`'s async `run()`) is enough. The fix is an
    /// async `ServiceManager` whose callers `await` ``run(_:_:input:workingDirectory:)-async``.
    public func run(_ program: String, _ arguments: [String], input: [UInt8] = [], workingDirectory: String? = nil) throws(PlatformError) -> Outcome {
        let waiter = BlockingResult<Result<Outcome, PlatformError>>()
        let runner = self
        Task(executorPreference: Self.executor) {
            do throws(PlatformError) { waiter.set(.success(try await runner.run(program, arguments, input: input, workingDirectory: workingDirectory))) } catch { waiter.set(.failure(error)) }
        }
        return try waiter.wait().get()
    }

    /// The thread synchronous runs are driven from.
    static let executor = DedicatedThreadExecutor(name: "gg-subprocess")

    /// The exit status, or 128 + the signal number (as a shell reports it).
    static func exitStatus(_ status: TerminationStatus) -> Int32 {
        switch status {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }

    /// Subprocess's errors with our errno names: `ENOENT` for a missing program, `EFBIG` for output over the limit.
    static func platformError(_ error: SubprocessError, program: String, limit: Int) -> PlatformError {
        switch error.code {
        case .executableNotFound:
            return PlatformError(operation: "posix_spawn", target: program, errno: error.underlyingError?.rawValue ?? ErrnoName.ENOENT)
        case .outputLimitExceeded:
            return PlatformError(operation: "read", target: program, errno: ErrnoName.EFBIG, detail: "more than \(limit) bytes of output")
        case .spawnFailed:
            return PlatformError(operation: "posix_spawn", target: program, errno: error.underlyingError?.rawValue ?? ErrnoName.EIO, detail: "\(error)")
        default:
            return PlatformError(operation: "run", target: program, errno: error.underlyingError?.rawValue ?? ErrnoName.EIO, detail: "\(error)")
        }
    }
}
