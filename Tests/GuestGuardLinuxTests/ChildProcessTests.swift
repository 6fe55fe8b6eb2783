#if canImport(Glibc)
import Glibc
#endif
import GuestGuardLinux
import GuestGuardLinuxProcesses
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// The long-running child of the tests (`ChildProcess`, on ProgramRunner's posix_spawn code), tried
/// with the children that break a naive one: one that floods standard error before it is ready, one
/// that ignores SIGTERM, one that exits before it is ready, and one spoken to over its pipes.
/// Outcomes only: every wait has a deadline far above what it needs, and no assertion is on a time.
@Suite struct ChildProcessTests {
    /// 256 KiB to standard error (four pipes' worth) before the ready line on standard output: a
    /// parent that reads only standard output until the line never sees it, and the child blocks
    /// for ever on its full standard-error pipe.
    @Test func childFloodingStandardErrorBeforeItsReadyLineBecomesReady() throws {
        let script = "head -c 262144 /dev/zero | tr '\\0' e >&2; echo ready; exec sleep 600"
        let child = try ChildProcess("/bin/sh", ["-c", script])
        try child.waitForOutput { $0.contains("ready\n") ? () : nil }
        #expect(child.isRunning)
        #expect(child.standardOutput == "ready\n")
        #expect(child.standardError.utf8.count == 262_144)
        #expect(child.standardError.utf8.allSatisfy { $0 == UInt8(ascii: "e") })
        // SIGTERM ends `sleep`: 128 + 15.
        #expect(child.stop() == 128 + SIGTERM)
        #expect(!child.isRunning)
    }

    /// A capture limit bounds what is kept, not what is read: the child still finishes.
    @Test func outputPastTheCaptureLimitIsReadAndDropped() throws {
        let child = try ChildProcess("/bin/sh", ["-c", "head -c 200000 /dev/zero >&2; echo done"], captureLimit: 1000)
        #expect(child.waitForExit(timeout: .seconds(120)) == 0)
        #expect(child.standardOutput == "done\n")
        #expect(child.standardError.utf8.count == 0)
        #expect(child.droppedBytes == 200_000)
    }

    /// A child that ignores SIGTERM is killed `grace` later (128 + SIGKILL) and reaped: no zombie.
    @Test func childIgnoringSIGTERMIsKilledAfterTheGrace() throws {
        let script = "trap '' TERM; echo ready; while :; do sleep 1; done"
        let child = try ChildProcess("/bin/sh", ["-c", script])
        try child.waitForOutput { $0.contains("ready") ? () : nil }
        let pid = child.pid
        #expect(child.stop(grace: .milliseconds(300)) == 128 + SIGKILL)
        // Reaped: the id names no process of ours any more (not even a zombie).
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG), code = errno
        #expect(reaped == -1 && code == ECHILD)
    }

    /// A child that exits before it is ready fails the wait at once, with its status and what it
    /// printed; waiting for its port fails the same way.
    @Test func childExitingBeforeItIsReadyFailsTheWaitWithWhatItPrinted() throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo 'bind: address in use' >&2; exit 3"])
        let failure = #expect(throws: ChildProcess.Failure.self) {
            try child.waitForOutput(timeout: .seconds(600)) { $0.contains("listening") ? () : nil }
        }
        #expect(failure?.description.contains("exited before it was ready") == true)
        #expect(failure?.description.contains("exit status 3") == true)
        #expect(failure?.description.contains("bind: address in use") == true)
        #expect(child.exitStatus == 3)
        #expect(throws: ChildProcess.Failure.self) { try child.waitForPort(1, timeout: .seconds(600)) }
        #expect(child.stop() == 3)
    }

    /// A program that is not there fails to start with ENOENT.
    @Test func missingProgramThrowsENOENT() {
        let error = #expect(throws: PlatformError.self) { try ChildProcess("/nonexistent/peer") }
        #expect(error?.errnoName == "ENOENT")
    }

    /// Standard input and output as a channel (FuzzPeer's request/reply): what is written comes back
    /// in order, a reply is handed out once, and closing the input ends `cat`.
    @Test func standardInputAndOutputFormAChannel() throws {
        let child = try ChildProcess("/bin/cat")
        try child.write(Array("request-1".utf8))
        #expect(try child.readStandardOutput(exactly: 9) == Array("request-1".utf8))
        let large = [UInt8](repeating: 0x41, count: 300_000)
        try child.write(large)
        #expect(try child.readStandardOutput(exactly: large.count) == large)
        child.closeInput()
        #expect(child.waitForExit(timeout: .seconds(120)) == 0)
        #expect(throws: PlatformError.self) { try child.write([1]) }
        #expect(throws: ChildProcess.Failure.self) { try child.readStandardOutput(exactly: 1) }
    }

    /// A listener is found by its port; the child dropped without `stop` is stopped by `deinit`.
    @Test func waitForPortSeesTheListenerAndDeinitStopsTheChild() throws {
        let port = Int.random(in: 20_000..<60_000)
        let script = "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', \(port))); s.listen(); time.sleep(600)"
        var pid: Int32 = 0
        do {
            let child = try ChildProcess("python3", ["-c", script])
            pid = child.pid
            try child.waitForPort(port)
        }
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG), code = errno
        #expect(reaped == -1 && code == ECHILD)
    }

    /// The async waits run on a thread of their own, so they can wait on a child from a test task.
    @Test func asyncWaitsSeeTheChild() async throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo port=4711; exec sleep 600"])
        let port = try await child.waitForOutput { text in text.split(separator: "\n").first { $0.hasPrefix("port=") }.flatMap { Int($0.dropFirst(5)) } }
        #expect(port == 4711)
        #expect(child.stop() == 128 + SIGTERM)
        #expect(await child.waitForExit(timeout: .seconds(1)) == 128 + SIGTERM)
    }
}
