#if canImport(Glibc)
import Glibc
#endif
import GuestGuardLinux
import GuestGuardLinuxProcesses
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// The three defects of the first hand-written `posix_spawn` runner, each tried against `ProgramRunner`
/// (posix_spawn + poll): a child that fills the standard-error pipe before closing standard output,
/// a child that never exits, and descriptors of ours that a child could inherit; and the hazard of
/// the swift-subprocess bridge: synchronous runs from more pool threads than there are CPUs.
@Suite struct ProgramRunnerTests {
    /// 256 KiB to standard error (four times a pipe's 64 KiB) before anything on standard output:
    /// a runner that reads standard output to its end first blocks for ever, and so does the child.
    @Test func childFillingStandardErrorBeforeStandardOutputCompletes() throws {
        let script = "head -c 262144 /dev/zero | tr '\\0' e >&2; printf done; exit 7"
        let outcome = try ProgramRunner().run("/bin/sh", ["-c", script])
        #expect(outcome.status == 7)
        #expect(outcome.standardOutput == "done")
        #expect(outcome.standardError.utf8.count == 262_144)
        #expect(outcome.standardError.utf8.allSatisfy { $0 == UInt8(ascii: "e") })
    }

    /// A child that ignores SIGTERM and sleeps: at the deadline it is killed (SIGTERM, then SIGKILL),
    /// reaped, and the run fails with ETIMEDOUT naming the program.
    @Test func hangingChildIsKilledAtItsDeadline() throws {
        let tree = TemporaryFileTree(prefix: "guestguard-runner")
        let pidFile = tree.root + "/pid"
        let runner = ProgramRunner(timeout: .milliseconds(500))
        let error = #expect(throws: PlatformError.self) {
            try runner.run("/bin/sh", ["-c", "trap '' TERM; echo $$ > \(pidFile); while :; do sleep 1; done"])
        }
        #expect(error?.errno == ErrnoName.ETIMEDOUT)
        #expect(error?.errnoName == "ETIMEDOUT")
        #expect(error?.target == "/bin/sh")
        #expect(error?.description.contains("killed") == true)
        // The shell is gone (killed and reaped: not even a zombie is left).
        let pid = try #require(Int32(try tree.fileSystem.readText("/pid", limit: 64).split(separator: "\n").first.map(String.init) ?? ""))
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "process \(pid) still exists")
    }

    /// A descriptor opened without O_CLOEXEC (as a library might) and a plain `pipe()`: neither may
    /// show up in the child's /proc/self/fd. A runner that relies on FD_CLOEXEC set after the fact,
    /// or on callers setting it, hands them to every program it runs.
    @Test func noDescriptorOfOursLeaksIntoTheChild() throws {
        let tree = TemporaryFileTree(prefix: "guestguard-runner").write("/marker", "secret-looking file")
        let marker = open(tree.root + "/marker", O_RDONLY)  // no O_CLOEXEC, on purpose
        try #require(marker >= 0)
        defer { close(marker) }
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        // The child lists its descriptors: /proc/self/fd of `ls` itself (sh execs it).
        let outcome = try ProgramRunner().run("/bin/sh", ["-c", "exec ls -l /proc/self/fd/"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let targets = outcome.standardOutput.split(separator: "\n").compactMap { line in line.range(of: " -> ").map { String(line[$0.upperBound...]) } }
        #expect(!targets.isEmpty, "no descriptors listed: \(outcome.standardOutput)")
        #expect(!targets.contains { $0.contains("marker") }, "the marker file leaked: \(targets)")
        #expect(!targets.contains { $0.hasPrefix("pipe:") && !Self.isStandardStream($0, in: outcome.standardOutput) }, "a pipe leaked: \(targets)")
        // Descriptors 0, 1, 2 and the one `ls` opened on the directory: nothing else.
        let numbers = outcome.standardOutput.split(separator: "\n").compactMap { line -> Int? in
            guard let arrow = line.range(of: " -> ") else { return nil }
            return Int(line[..<arrow.lowerBound].split(separator: " ").last ?? "")
        }
        #expect(numbers.filter { $0 > 2 }.count <= 1, "descriptors above 2: \(numbers)")
    }

    /// Whether a `pipe:[…]` entry is one of the child's own standard streams (0, 1 or 2).
    static func isStandardStream(_ target: String, in listing: String) -> Bool {
        listing.split(separator: "\n").contains { line in
            line.hasSuffix(" -> " + target) && [" 0 -> ", " 1 -> ", " 2 -> "].contains { line.contains($0) }
        }
    }

    @Test func outputOverTheLimitIsRefusedWithEFBIG() throws {
        let runner = ProgramRunner(outputLimit: 1000)
        let error = #expect(throws: PlatformError.self) { try runner.run("/bin/sh", ["-c", "head -c 5000 /dev/zero"]) }
        #expect(error?.errno == ErrnoName.EFBIG)
    }

    @Test func missingProgramIsENOENT() throws {
        let error = #expect(throws: PlatformError.self) { try ProgramRunner().run("/nonexistent/program", []) }
        #expect(error?.errno == ErrnoName.ENOENT)
        #expect(error?.description.contains("ENOENT") == true)
    }

    @Test func inputReachesStandardInput() throws {
        let outcome = try ProgramRunner().run("/bin/cat", [], input: Array("through stdin".utf8))
        #expect(outcome.standardOutput == "through stdin")
    }

    /// 512 KiB through `cat`: it writes back while we are still writing, so input and output must be
    /// served by one loop (a runner that writes all input first blocks with `cat` on a full pipe).
    @Test func inputLargerThanAPipeIsEchoedWhileItIsWritten() throws {
        let input = (0..<(512 << 10)).map { UInt8(0x20 + $0 % 95) }  // printable ASCII: the outcome is text
        let outcome = try ProgramRunner(outputLimit: 1 << 20).run("/bin/cat", [], input: input)
        #expect(outcome.status == 0)
        #expect(Array(outcome.standardOutput.utf8) == input)
    }

    /// A program that exits without reading its input: the write fails with EPIPE (no SIGPIPE kills
    /// this process), the rest is dropped, and the outcome is the program's.
    @Test func inputTheChildNeverReadsIsDropped() throws {
        let outcome = try ProgramRunner().run("/bin/sh", ["-c", "exec 0<&-; echo closed; exit 3"], input: [UInt8](repeating: 0x61, count: 1 << 20))
        #expect(outcome.status == 3)
        #expect(outcome.standardOutput == "closed\n")
    }

    /// A caller that blocks SIGUSR2 on its thread and ignores it (as a daemon might SIGTERM or SIGPIPE)
    /// starts a program with neither: posix_spawn's SETSIGMASK and SETSIGDEF, seen in its /proc status.
    @Test func childStartsWithDefaultSignalsWhateverTheCaller() throws {
        var usr2 = sigset_t(), previous = sigset_t()
        sigemptyset(&usr2)
        sigaddset(&usr2, SIGUSR2)
        try #require(pthread_sigmask(SIG_BLOCK, &usr2, &previous) == 0)
        let previousAction = signal(SIGUSR2, SIG_IGN)
        defer {
            signal(SIGUSR2, previousAction)
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        let outcome = try ProgramRunner().run("/bin/grep", ["-E", "^Sig(Blk|Ign):", "/proc/self/status"])
        let masks = Dictionary(uniqueKeysWithValues: outcome.standardOutput.split(separator: "\n").compactMap { line -> (String, UInt64)? in
            let fields = line.split(separator: ":").map { String($0.filter { !$0.isWhitespace }) }
            guard fields.count == 2, let mask = UInt64(fields[1], radix: 16) else { return nil }
            return (fields[0], mask)
        })
        let bit = UInt64(1) << UInt64(SIGUSR2 - 1)
        #expect(masks.count == 2, "\(outcome.standardOutput)")
        #expect((masks["SigBlk"] ?? bit) & bit == 0, "SIGUSR2 blocked in the child")
        #expect((masks["SigIgn"] ?? bit) & bit == 0, "SIGUSR2 ignored in the child")
    }

    /// More synchronous callers than CPUs, each blocking a cooperative-pool thread (a task of a task
    /// group), half of them through the async variant: every run completes, because a run needs no
    /// thread but its own. Over swift-subprocess the blocking bridge deadlocked here: its cleanup task
    /// waited for a free pool thread, and on a one-vCPU guest a single caller was enough.
    @Test func synchronousRunsFromMoreTasksThanCPUsAllComplete() async throws {
        let callers = 2 * max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) + 2
        let outcomes = await withTaskGroup(of: (Int, Result<ProgramRunner.Outcome, PlatformError>).self) { group in
            for caller in 0..<callers {
                group.addTask {
                    if caller.isMultiple(of: 2) { return (caller, Self.runBlocking(caller)) }
                    do throws(PlatformError) { return (caller, .success(try await Self.runner.run("/bin/sh", Self.script, input: Self.input(caller)))) }
                    catch { return (caller, .failure(error)) }
                }
            }
            var outcomes: [Int: Result<ProgramRunner.Outcome, PlatformError>] = [:]
            for await (caller, outcome) in group { outcomes[caller] = outcome }
            return outcomes
        }
        #expect(outcomes.keys.sorted() == Array(0..<callers))
        for (caller, result) in outcomes {
            let outcome = try result.get()
            #expect(outcome.status == 0)
            #expect(outcome.standardOutput == "caller \(caller)")
            #expect(outcome.standardError.utf8.count == 100_000)
        }
    }

    static let runner = ProgramRunner(timeout: .seconds(120))
    /// 100 000 bytes on standard error, then standard input back on standard output.
    static let script = ["-c", "head -c 100000 /dev/zero >&2; cat"]
    static func input(_ caller: Int) -> [UInt8] { Array("caller \(caller)".utf8) }

    /// The synchronous `run`, from a synchronous function (in an async one the async overload wins).
    static func runBlocking(_ caller: Int) -> Result<ProgramRunner.Outcome, PlatformError> {
        Result { () throws(PlatformError) in try runner.run("/bin/sh", script, input: input(caller)) }
    }
}
