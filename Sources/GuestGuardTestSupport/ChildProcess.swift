#if canImport(Glibc)
import Glibc
#endif
import GuestGuardLinuxProcesses
import GuestGuardPlatform

/// A program a test keeps running beside it: a peer server (openssl s_server, python3), swtpm, the
/// built `guestguard serve` or `guestguard-broker`, a Python reference peer spoken to over pipes.
/// Programs that run to completion go through `ProgramRunner`; this is the one long-running kind,
/// on the same posix_spawn code (`SpawnedProgram.start`: `pipe2(O_CLOEXEC)`, every other descriptor
/// closed in the child, no signal blocked, default dispositions, so SIGTERM works).
///
/// - A thread of its own reads standard output and standard error as they come (one `poll` loop),
///   so a child that writes more than a pipe holds (64 KiB) never blocks on us, whatever the test
///   does meanwhile; past `captureLimit` bytes a stream is still read, and the rest dropped.
/// - ``waitForOutput(timeout:_:)`` and ``waitForPort(_:timeout:)`` wait for readiness, and fail
///   (naming what the child printed) as soon as it has exited, or at the deadline.
/// - ``stop(grace:)`` (and `deinit`) sends SIGTERM, SIGKILL `grace` later, and returns once the
///   child is reaped and its output read.
/// Waits block on a condition variable, not on sleeps; the `async` overloads wait on a thread of
/// their own, so no cooperative-pool thread (which an in-process server may need) is held.
public final class ChildProcess: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let program: String
    public let pid: Int32
    /// What the reader thread shares with us (it holds only this, so `deinit` can stop the child).
    private let shared: Shared
    private var monitor: Monitor { shared.monitor }
    // Guarded by `monitor`.
    private var captured: Captured {
        get { shared.captured }
        _modify { yield &shared.captured }
    }
    private var input: Int32

    final class Shared: @unchecked Sendable {
        let monitor = Monitor()
        /// Guarded by `monitor`.
        var captured = Captured()
    }

    struct Captured {
        var output: [UInt8] = []
        var error: [UInt8] = []
        /// Both streams in the order they were read (what a shell's `2>&1` would show, give or take a pipe buffer).
        var combined: [UInt8] = []
        /// How much of `output` ``readStandardOutput(exactly:timeout:)`` has handed out.
        var consumed = 0
        var dropped = 0
        /// The shell's convention: the exit code, or 128 + the signal that ended it.
        var status: Int32?
        /// Set once the child is reaped and what it wrote is read.
        var finished = false
    }

    /// Starts `program` (absolute, or looked up in the `PATH` of `environment`) with `arguments`.
    /// Its standard input stays open (``write(_:)``, ``closeInput()``) until ``stop(grace:)``.
    public init(_ program: String, _ arguments: [String] = [], environment: [String] = ProgramRunner.inheritedEnvironment,
                workingDirectory: String? = nil, captureLimit: Int = 16 << 20) throws(PlatformError) {
        let path = try ProgramRunner(environment: environment).resolve(program)
        let child = try SpawnedProgram.start(path: path, arguments: arguments, environment: environment, workingDirectory: workingDirectory)
        self.program = path
        self.pid = child.pid
        self.input = child.input
        let shared = Shared()
        self.shared = shared
        ProgramRunner.detachThread { Self.readUntilExit(child, into: shared, limit: captureLimit) }
    }

    deinit {
        _ = stop()
    }

    // MARK: What it printed

    /// Standard output so far (all of it once the child has exited).
    public var standardOutput: String { String(decoding: monitor.locked { captured.output }, as: UTF8.self) }
    public var standardError: String { String(decoding: monitor.locked { captured.error }, as: UTF8.self) }
    /// Standard output as bytes (a key written to `--out -`).
    public var standardOutputBytes: [UInt8] { monitor.locked { captured.output } }
    /// Both streams, in the order they were read.
    public var output: String { String(decoding: monitor.locked { captured.combined }, as: UTF8.self) }
    /// Bytes read past `captureLimit` and dropped.
    public var droppedBytes: Int { monitor.locked { captured.dropped } }
    /// The exit status once the child has exited and its output is read; nil while it runs.
    public var exitStatus: Int32? { monitor.locked { captured.finished ? captured.status : nil } }
    public var isRunning: Bool { exitStatus == nil }

    // MARK: Waiting

    /// Waits until `extract` finds what it wants in the combined output and returns it. Throws when
    /// the child exits first or at `timeout`, with what it printed.
    public func waitForOutput<T>(timeout: Duration = .seconds(60), _ extract: (String) -> T?) throws(Failure) -> T {
        var found: T?
        let finished = wait(timeout: timeout) { captured in
            found = extract(String(decoding: captured.combined, as: UTF8.self))
            return found != nil || captured.finished
        }
        if let found { return found }
        throw failure(finished ? "exited before it was ready" : "not ready after \(timeout)")
    }

    /// ``waitForOutput(timeout:_:)`` on a thread of its own.
    public func waitForOutput<T: Sendable>(timeout: Duration = .seconds(60), _ extract: @escaping @Sendable (String) -> T?) async throws(Failure) -> T {
        try await onOwnThread { () throws(Failure) in try self.waitForOutput(timeout: timeout, extract) }
    }

    /// Waits until 127.0.0.1:`port` accepts a TCP connection. Throws when the child exits first or
    /// at `timeout`.
    public func waitForPort(_ port: Int, timeout: Duration = .seconds(60)) throws(Failure) {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while !Self.accepts(port: port) {
            guard isRunning else { throw failure("exited before it listened on 127.0.0.1:\(port)") }
            guard clock.now < deadline else { throw failure("not listening on 127.0.0.1:\(port) after \(timeout)") }
            // Nothing to be woken by: a listener makes no sound. Ask again shortly (or at its exit).
            _ = wait(timeout: .milliseconds(20)) { $0.finished }
        }
    }

    /// Waits up to `timeout` for the child to exit by itself; its status, or nil if it still runs.
    public func waitForExit(timeout: Duration) -> Int32? {
        _ = wait(timeout: timeout) { $0.finished }
        return exitStatus
    }

    /// ``waitForExit(timeout:)`` on a thread of its own.
    public func waitForExit(timeout: Duration) async -> Int32? {
        await onOwnThread { self.waitForExit(timeout: timeout) }
    }

    // MARK: Standard input and output as a channel

    /// Writes all of `bytes` to its standard input (blocking while the pipe is full). `EPIPE` when
    /// the child closed it; never SIGPIPE.
    public func write(_ bytes: [UInt8]) throws(PlatformError) {
        let fd = monitor.locked { input }
        guard fd >= 0 else { throw PlatformError(operation: "write", target: program, errno: EPIPE, detail: "standard input is closed") }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { SpawnedProgram.writeWithoutSigpipe(fd, UnsafeRawBufferPointer(rebasing: $0[written...])) }
            guard result > 0 else {
                throw PlatformError(operation: "write", target: program, errno: result < 0 ? Int32(-result) : ErrnoName.EIO, detail: "standard input")
            }
            written += result
        }
    }

    /// Closes its standard input (end of file for the child).
    public func closeInput() {
        let fd: Int32 = monitor.locked {
            defer { input = -1 }
            return input
        }
        SpawnedProgram.release(fd)
    }

    /// The next `count` bytes of standard output not yet handed out, once they have arrived. Throws
    /// when the child exits first or at `timeout`.
    public func readStandardOutput(exactly count: Int, timeout: Duration = .seconds(60)) throws(Failure) -> [UInt8] {
        var bytes: [UInt8]?
        let finished = wait(timeout: timeout) { captured in
            if captured.output.count - captured.consumed >= count {
                bytes = Array(captured.output[captured.consumed..<(captured.consumed + count)])
                captured.consumed += count
                // A channel's replies need not be kept.
                captured.output.removeFirst(captured.consumed)
                captured.combined.removeAll()
                captured.consumed = 0
            }
            return bytes != nil || captured.finished
        }
        if let bytes { return bytes }
        throw failure(finished ? "exited before it wrote \(count) more bytes" : "did not write \(count) more bytes in \(timeout)")
    }

    // MARK: Stopping

    /// SIGTERM, SIGKILL after `grace` if it still runs, and returns once it is reaped and its output
    /// read: its exit status (128 + the signal when a signal ended it). Stopping a child that has
    /// exited returns its status.
    @discardableResult
    public func stop(grace: Duration = .seconds(2)) -> Int32 {
        closeInput()
        if let status = exitStatus { return status }
        signal(SIGTERM)
        if let status = waitForExit(timeout: grace) { return status }
        signal(SIGKILL)
        // SIGKILL cannot be caught: the reader thread reaps it promptly.
        while true {
            if let status = waitForExit(timeout: .seconds(60)) { return status }
        }
    }

    /// Sends `signal` while the child has not been reaped (so its id cannot belong to another process).
    public func signal(_ signal: Int32) {
        monitor.locked {
            if captured.status == nil { _ = kill(pid, signal) }
        }
    }

    // MARK: Inside

    /// Whether a TCP connection to 127.0.0.1:`port` is accepted (then closed at once).
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private func failure(_ what: String) -> Failure {
        let (status, text) = monitor.locked { (captured.status, String(decoding: captured.combined, as: UTF8.self)) }
        let exit = status.map { " (exit status \($0))" } ?? ""
        return Failure(description: "\(program) \(what)\(exit); it printed:\n\(text)")
    }

    /// Waits (on the condition variable, woken by each read and by the exit) until `done` holds or
    /// `timeout` has passed; the last answer of `done`.
    private func wait(timeout: Duration, until done: (inout Captured) -> Bool) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        return monitor.locked {
            while !done(&captured) {
                guard monitor.wait(until: deadline) else { return done(&captured) }
            }
            return true
        }
    }

    private func onOwnThread<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            ProgramRunner.detachThread {
                continuation.resume(returning: Result { () throws(E) in try body() })
            }
        }
        return try result.get()
    }

    private func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            ProgramRunner.detachThread { continuation.resume(returning: body()) }
        }
    }

    /// The reader thread: one `poll` loop over both output streams and the exit descriptor until the
    /// child is reaped; then what its streams still hold is read without waiting (a process it
    /// started may keep them open), and every descriptor is closed.
    private static func readUntilExit(_ child: SpawnedProgram.Child, into shared: Shared, limit: Int) {
        let monitor = shared.monitor
        var streams = [child.output, child.error]
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var status: Int32?
        while status == nil {
            var descriptors = streams.filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if child.exitDescriptor >= 0 { descriptors.append(pollfd(fd: child.exitDescriptor, events: Int16(POLLIN), revents: 0)) }
            // Without pidfd_open, ask waitpid every few milliseconds.
            let ready = poll(&descriptors, nfds_t(descriptors.count), child.exitDescriptor >= 0 ? -1 : 10)
            if ready < 0 && errno != EINTR { break }
            for entry in descriptors where entry.revents != 0 {
                guard let index = streams.firstIndex(of: entry.fd) else { continue }
                if !readAvailable(from: entry.fd, stream: index, into: shared, buffer: &buffer, limit: limit) {
                    SpawnedProgram.release(entry.fd)
                    streams[index] = -1
                }
            }
            // Reaped and recorded under the lock, so that no signal goes to a reaped id.
            monitor.locked {
                var waitStatus: Int32 = 0
                if waitpid(child.pid, &waitStatus, WNOHANG) == child.pid {
                    status = (waitStatus & 0x7F) == 0 ? (waitStatus >> 8) & 0xFF : 128 + (waitStatus & 0x7F)
                    shared.captured.status = status
                }
            }
        }
        for (index, fd) in streams.enumerated() where fd >= 0 {
            SpawnedProgram.setNonblocking(fd)
            while readAvailable(from: fd, stream: index, into: shared, buffer: &buffer, limit: limit) {}
            SpawnedProgram.release(fd)
        }
        SpawnedProgram.release(child.exitDescriptor)
        monitor.locked {
            if shared.captured.status == nil { shared.captured.status = -1 }
            shared.captured.finished = true
            monitor.broadcast()
        }
    }

    /// One `read` from stream `index` (0: output, 1: error) into the capture; false at end of file,
    /// on an error, or (non-blocking) when nothing is left.
    private static func readAvailable(from fd: Int32, stream index: Int, into shared: Shared, buffer: inout [UInt8], limit: Int) -> Bool {
        var count: Int
        repeat { count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } } while count < 0 && errno == EINTR
        guard count > 0 else { return false }
        shared.monitor.locked {
            let chunk = buffer[0..<count]
            let kept = index == 0 ? shared.captured.output.count : shared.captured.error.count
            if kept + count > limit {
                shared.captured.dropped += count
            } else if index == 0 {
                shared.captured.output += chunk
            } else {
                shared.captured.error += chunk
            }
            if shared.captured.combined.count + count <= limit { shared.captured.combined += chunk }
            shared.monitor.broadcast()
        }
        return true
    }
}

/// A pthread mutex and condition variable (`CLOCK_MONOTONIC`), for ``ChildProcess``: waits that
/// are woken by what they wait for, with a deadline.
final class Monitor: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// With the mutex held: waits for a ``broadcast()``; false once `deadline` has passed.
    func wait(until deadline: ContinuousClock.Instant) -> Bool {
        let left = deadline - ContinuousClock.now
        guard left > .zero else { return false }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let (seconds, attoseconds) = left.components
        let nanoseconds = Int(now.tv_nsec) + Int(attoseconds / 1_000_000_000)
        var until = timespec(tv_sec: now.tv_sec + Int(seconds) + nanoseconds / 1_000_000_000, tv_nsec: nanoseconds % 1_000_000_000)
        _ = pthread_cond_timedwait(condition, mutex, &until)
        return true
    }

    /// With the mutex held: wakes every waiter.
    func broadcast() { pthread_cond_broadcast(condition) }
}
