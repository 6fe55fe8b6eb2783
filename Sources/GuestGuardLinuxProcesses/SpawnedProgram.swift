#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CGuestGuardLinux
import GuestGuardLinux
import GuestGuardPlatform

/// One program started by ``ProgramRunner``: its id, our ends of its three pipes and what it has
/// written so far, driven to its end by ``finish(timeout:grace:limit:)`` on the calling thread.
/// No Swift concurrency is involved: a caller on a cooperative-pool thread blocks that thread only,
/// and nothing the run waits for needs another one.
///
/// The C functions are `pipe2` (`O_CLOEXEC`), `posix_spawn` (with `dup2`, `closefrom` and `chdir`
/// file actions), `pidfd_open`, `poll`, `read`, `write`, `kill` and `waitpid`.
package struct SpawnedProgram {
    let program: String
    let pid: pid_t
    /// Polls readable once the child has exited; -1 where `pidfd_open` is missing (then the loop
    /// asks `waitpid(WNOHANG)` every few milliseconds).
    private var exitDescriptor: Int32
    /// Our (non-blocking) write end of its standard input; -1 once everything is written or it is gone.
    private var input: Int32
    /// Our read ends of its standard output and standard error; -1 at end of file.
    private var output: Int32
    private var error: Int32
    private let pendingInput: [UInt8]
    private var written = 0
    private var standardOutput: [UInt8] = []
    private var standardError: [UInt8] = []
    /// The wait status once reaped.
    private var waitStatus: Int32?

    /// Starts `path` (absolute) with pipes on all three standard streams; every other descriptor is
    /// closed in the child. Nothing is left open when it throws.
    init(path: String, arguments: [String], environment: [String], input: [UInt8], workingDirectory: String?) throws(PlatformError) {
        let child = try Self.start(path: path, arguments: arguments, environment: environment, workingDirectory: workingDirectory)
        self.program = path
        self.pid = child.pid
        self.output = child.output
        self.error = child.error
        self.exitDescriptor = child.exitDescriptor
        self.pendingInput = input
        if input.isEmpty {
            Self.release(child.input)
            self.input = -1
        } else {
            // A full pipe must not block the loop (the child may be busy writing to us).
            _ = guestguard_set_nonblocking(child.input)
            self.input = child.input
        }
    }

    /// A started child and our ends of its pipes (all close-on-exec, blocking), for a caller that
    /// drives them itself: ``SpawnedProgram`` here, the long-running `ChildProcess` of the tests.
    package struct Child: Sendable {
        package let pid: pid_t
        /// Our write end of its standard input.
        package let input: Int32
        /// Our read ends of its standard output and standard error.
        package let output: Int32
        package let error: Int32
        /// Polls readable once the child has exited; -1 where `pidfd_open` is missing.
        package let exitDescriptor: Int32
    }

    /// `pipe2(O_CLOEXEC)` three times and `posix_spawn` (``spawn(_:path:arguments:environment:streams:workingDirectory:)``);
    /// the child's ends are closed here, so end of file on ours means the child (and whatever it
    /// started) closed them. Nothing is left open when it throws.
    package static func start(path: String, arguments: [String], environment: [String], workingDirectory: String?) throws(PlatformError) -> Child {
        let inputPipe = try makePipe(for: path)
        let outputPipe: (read: Int32, write: Int32), errorPipe: (read: Int32, write: Int32)
        do { outputPipe = try makePipe(for: path) } catch {
            release(inputPipe.read, inputPipe.write)
            throw error
        }
        do { errorPipe = try makePipe(for: path) } catch {
            release(inputPipe.read, inputPipe.write, outputPipe.read, outputPipe.write)
            throw error
        }
        var pid: pid_t = 0
        let spawned = spawn(&pid, path: path, arguments: arguments, environment: environment,
                            streams: (inputPipe.read, outputPipe.write, errorPipe.write), workingDirectory: workingDirectory)
        release(inputPipe.read, outputPipe.write, errorPipe.write)
        guard spawned == 0 else {
            release(inputPipe.write, outputPipe.read, errorPipe.read)
            throw PlatformError(operation: "posix_spawn", target: path, errno: spawned)
        }
        let exit = guestguard_pidfd_open(pid)
        return Child(pid: pid, input: inputPipe.write, output: outputPipe.read, error: errorPipe.read, exitDescriptor: exit >= 0 ? exit : -1)
    }

    /// `write` that cannot raise SIGPIPE (a child that closed its input gives `EPIPE`): the count
    /// written, or -errno. The corresponding C function is `guestguard_write_without_sigpipe`.
    package static func writeWithoutSigpipe(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        guestguard_write_without_sigpipe(fd, bytes.baseAddress!, bytes.count)
    }

    /// `O_NONBLOCK` on `fd`. The corresponding C function is `fcntl`.
    package static func setNonblocking(_ fd: Int32) { _ = guestguard_set_nonblocking(fd) }

    /// Reads both output streams and writes standard input from one `poll` loop until the child has
    /// exited and closed its output. At `timeout` it gets SIGTERM, `grace` later SIGKILL, and the run
    /// throws `ETIMEDOUT`; more than `limit` bytes on either stream kills it and throws `EFBIG`. The
    /// child is reaped and every descriptor closed on every path.
    mutating func finish(timeout: Duration, grace: Duration, limit: Int) throws(PlatformError) -> ProgramRunner.Outcome {
        defer { closeAll() }
        do {
            try drive(timeout: timeout, grace: grace, limit: limit)
        } catch {
            if waitStatus == nil { killAndReap() }
            throw error
        }
        let status = waitStatus ?? 0
        // The shell's convention: the exit code, or 128 + the signal that ended it.
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return ProgramRunner.Outcome(status: exit, standardOutput: String(decoding: standardOutput, as: UTF8.self),
                                     standardError: String(decoding: standardError, as: UTF8.self))
    }

    private mutating func drive(timeout: Duration, grace: Duration, limit: Int) throws(PlatformError) {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        // Set at the deadline, when SIGTERM goes out: SIGKILL follows at this instant.
        var killAt: ContinuousClock.Instant?
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while waitStatus == nil || output >= 0 || error >= 0 {
            let now = clock.now
            if killAt == nil, now >= deadline {
                guard waitStatus == nil else {
                    throw timedOut(timeout, detail: "exited, but its output stayed open (a process it started holds it)")
                }
                _ = kill(pid, SIGTERM)
                killAt = now.advanced(by: grace)
            }
            if let killAt {
                if waitStatus != nil { throw timedOut(timeout, detail: "still running; killed (SIGTERM)") }
                if now >= killAt {
                    killAndReap()
                    throw timedOut(timeout, detail: "still running; killed (SIGTERM, then SIGKILL after \(grace))")
                }
            }
            var wait = Self.milliseconds(from: now, to: killAt ?? deadline)
            if waitStatus == nil && exitDescriptor < 0 { wait = min(wait, 10) }

            var descriptors: [pollfd] = []
            for fd in [output, error] where fd >= 0 { descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            if input >= 0 { descriptors.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
            if waitStatus == nil && exitDescriptor >= 0 { descriptors.append(pollfd(fd: exitDescriptor, events: Int16(POLLIN), revents: 0)) }
            let (ready, code) = retryingOnInterrupt { poll(&descriptors, nfds_t(descriptors.count), wait) }
            guard ready >= 0 else { throw PlatformError(operation: "poll", target: program, errno: code) }

            for entry in descriptors where entry.revents != 0 {
                if entry.fd == output {
                    if try Self.readAvailable(output, into: &standardOutput, buffer: &buffer, limit: limit, stream: "standard output", program: program) {
                        Self.release(output)
                        output = -1
                    }
                } else if entry.fd == error {
                    if try Self.readAvailable(error, into: &standardError, buffer: &buffer, limit: limit, stream: "standard error", program: program) {
                        Self.release(error)
                        error = -1
                    }
                } else if entry.fd == input {
                    try writeInput(closing: entry.revents & Int16(POLLERR | POLLHUP) != 0)
                }
            }
            if waitStatus == nil, exitDescriptor < 0 || descriptors.contains(where: { $0.fd == exitDescriptor && $0.revents != 0 }) {
                try reap(blocking: false)
            }
        }
    }

    /// One `read` of what a stream has (poll said it would not block); true at end of file.
    package static func readAvailable(_ fd: Int32, into bytes: inout [UInt8], buffer: inout [UInt8], limit: Int, stream: String, program: String) throws(PlatformError) -> Bool {
        let (count, code) = retryingOnInterrupt { buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } }
        guard count >= 0 else { throw PlatformError(operation: "read", target: program, errno: code, detail: stream) }
        if count == 0 { return true }
        guard bytes.count + count <= limit else {
            throw PlatformError(operation: "read", target: program, errno: ErrnoName.EFBIG, detail: "more than \(limit) bytes on \(stream); killed")
        }
        bytes.append(contentsOf: buffer[0..<count])
        return false
    }

    /// Writes what the pipe takes of the rest of the input; closes it when all is written, or when
    /// the child closed its end (`EPIPE`, `POLLERR`): a program need not read all of its input.
    private mutating func writeInput(closing: Bool) throws(PlatformError) {
        if !closing {
            let fd = input, offset = written
            let result = pendingInput.withUnsafeBytes { bytes in
                guestguard_write_without_sigpipe(fd, bytes.baseAddress! + offset, bytes.count - offset)
            }
            if result >= 0 {
                written += result
                if written < pendingInput.count { return }
            } else if result == -Int(EAGAIN) {
                return
            } else if result != -Int(EPIPE) {
                throw PlatformError(operation: "write", target: program, errno: Int32(-result), detail: "standard input")
            }
        }
        Self.release(input)
        input = -1
    }

    /// `waitpid` (retried on EINTR); without `blocking`, only a child that has already exited is reaped.
    private mutating func reap(blocking: Bool) throws(PlatformError) {
        var status: Int32 = 0
        let (reaped, code) = retryingOnInterrupt { waitpid(pid, &status, blocking ? 0 : WNOHANG) }
        guard reaped >= 0 else { throw PlatformError(operation: "waitpid", target: program, errno: code) }
        if reaped == pid { waitStatus = status }
    }

    /// SIGKILL and a blocking reap (SIGKILL cannot be caught, so the wait is short); no zombie is left.
    private mutating func killAndReap() {
        _ = kill(pid, SIGKILL)
        try? reap(blocking: true)
    }

    private func timedOut(_ timeout: Duration, detail: String) -> PlatformError {
        PlatformError(operation: "run", target: program, errno: ErrnoName.ETIMEDOUT, detail: "after \(timeout): \(detail)")
    }

    private mutating func closeAll() {
        Self.release(input, output, error, exitDescriptor)
        (input, output, error, exitDescriptor) = (-1, -1, -1, -1)
    }

    /// `poll`'s timeout: the milliseconds from `now` to `instant`, rounded up, at least 0.
    package static func milliseconds(from now: ContinuousClock.Instant, to instant: ContinuousClock.Instant) -> Int32 {
        guard instant > now else { return 0 }
        let (seconds, attoseconds) = (instant - now).components
        let milliseconds = seconds.multipliedReportingOverflow(by: 1000).partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }

    static func makePipe(for program: String) throws(PlatformError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        let result = guestguard_pipe_cloexec(&ends)
        guard result == 0 else { throw PlatformError(operation: "pipe2", target: program, errno: -result) }
        return (ends[0], ends[1])
    }

    /// `guestguard_spawn` with C strings that live for the call.
    static func spawn(_ pid: inout pid_t, path: String, arguments: [String], environment: [String],
                      streams: (Int32, Int32, Int32), workingDirectory: String?) -> Int32 {
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        guard let workingDirectory else {
            return guestguard_spawn(&pid, path, &argv, &envp, streams.0, streams.1, streams.2, nil)
        }
        return workingDirectory.withCString { guestguard_spawn(&pid, path, &argv, &envp, streams.0, streams.1, streams.2, $0) }
    }

    /// `close` of each descriptor that is open (not -1). Not retried on EINTR: Linux releases the
    /// descriptor before it reports the interruption.
    package static func release(_ descriptors: Int32...) {
        for fd in descriptors where fd >= 0 { _ = close(fd) }
    }
}
