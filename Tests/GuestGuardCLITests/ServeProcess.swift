import Foundation
import GuestGuardTestSupport

/// A `guestguard serve` child process on 127.0.0.1 port 0 and a unix socket in `directory`,
/// optionally under a systemd-like environment (`NOTIFY_SOCKET`, `WATCHDOG_USEC`).
final class ServeProcess {
    let process: ChildProcess
    let port: Int
    let socketPath: String
    private(set) var startupText = ""

    init(directory: String, simulator: String, environment: [String: String] = [:], extra: [String] = []) throws {
        socketPath = directory + "/run/posture.sock"
        let inherited = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        process = try ChildProcess(CLIRunner.executable.path, ["serve", "--listen", "127.0.0.1:0", "--socket", socketPath, "--simulator", simulator] + extra,
                                   environment: inherited)
        // "guestguard serve listening on http://127.0.0.1:PORT and unix:PATH"
        let port = try process.waitForOutput { text in
            text.range(of: "listening on http://127.0.0.1:").flatMap { range in
                text[range.upperBound...].contains(" ") ? Int(text[range.upperBound...].prefix(while: \.isNumber)) : nil
            }
        }
        startupText = process.output
        self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Sends SIGTERM and waits up to `timeout`; returns the exit status, or nil if it was still
    /// running (then it is killed).
    func terminate(timeout: Duration = .seconds(15)) -> Int32? {
        process.signal(SIGTERM)
        guard let status = process.waitForExit(timeout: timeout) else {
            process.stop(grace: .zero)
            return nil
        }
        return status
    }

    /// Everything it printed (after `terminate`).
    func remainingOutput() -> String { process.output }
}
