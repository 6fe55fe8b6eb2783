import Foundation
import Synchronization

/// A peer server (openssl s_server, python3) running for the length of one test.
final class BackgroundProcess: Sendable {
    private final class Output: Sendable {
        let text = Mutex("")
    }

    private let process: Process
    private let output = Output()

    init(_ executable: String, _ arguments: [String], currentDirectory: String? = nil) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = Pipe()  // s_server exits on EOF of stdin only when asked; keep it open
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    /// Everything the process printed so far.
    var printed: String { output.text.withLock { $0 } }

    /// Waits (polling, at most `timeout`) until the output matches `extract`, and returns the match.
    func waitFor<T>(timeout: Duration = .seconds(10), _ extract: (String) -> T?) async throws -> T? {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        var drainEnd: ContinuousClock.Instant?
        while clock.now < end {
            if let value = extract(printed) { return value }
            if !process.isRunning {
                // The pipe may still hold its last output: read on for a moment, then give up.
                let deadline = drainEnd ?? clock.now + .seconds(1)
                drainEnd = deadline
                if clock.now > deadline { return nil }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Waits (polling, at most `timeout`) for the process to exit by itself; true if it did.
    func waitForExit(timeout: Duration = .seconds(10)) async throws -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end, process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return !process.isRunning
    }

    /// SIGKILL: Foundation starts children with the signal mask of a dispatch thread, which
    /// blocks SIGTERM.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
