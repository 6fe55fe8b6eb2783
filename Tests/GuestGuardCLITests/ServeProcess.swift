import Foundation

/// A `guestguard serve` child process on 127.0.0.1 port 0 and a unix socket in `directory`,
/// optionally under a systemd-like environment (`NOTIFY_SOCKET`, `WATCHDOG_USEC`).
final class ServeProcess {
    let process = Process()
    let output = Pipe()
    let port: Int
    let socketPath: String
    private(set) var startupText = ""

    init(directory: String, simulator: String, environment: [String: String] = [:], extra: [String] = []) throws {
        socketPath = directory + "/run/posture.sock"
        process.executableURL = CLIRunner.executable
        process.arguments = ["serve", "--listen", "127.0.0.1:0", "--socket", socketPath, "--simulator", simulator] + extra
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // "guestguard serve listening on http://127.0.0.1:PORT and unix:PATH"
        var seen = Data()
        let handle = output.fileHandleForReading
        while !String(decoding: seen, as: UTF8.self).contains("guestguard serve listening on") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        startupText = String(decoding: seen, as: UTF8.self)
        guard let range = startupText.range(of: "listening on http://127.0.0.1:"),
            let port = Int(startupText[range.upperBound...].prefix(while: \.isNumber))
        else {
            process.terminate()
            throw NSError(domain: "ServeProcess", code: 1, userInfo: [NSLocalizedDescriptionKey: "serve did not start: \(startupText)"])
        }
        self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Sends SIGTERM and waits up to `timeout` seconds; returns the exit status, or nil if it
    /// was still running (then it is killed).
    func terminate(timeout: TimeInterval = 15) -> Int32? {
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// Everything printed after startup (after `terminate`).
    func remainingOutput() -> String {
        startupText + String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    deinit { if process.isRunning { process.terminate() } }
}
