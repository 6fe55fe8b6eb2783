import Foundation
import GuestGuardLinuxProcesses
import GuestGuardTestSupport
import Testing

/// `guestguard serve` as a real process: `verify --posture` against it with the simulated ARK,
/// `status` through its socket, systemd notification, SIGTERM.
@Suite(.serialized) struct ServeCLITests {
    func temporaryDirectory() throws -> String {
        TemporaryFileTree.shared.directory("serve-cli")
    }

    func simulator(in directory: String) throws -> String {
        let sim = directory + "/sim"
        let initialized = try CLIRunner.run(["simulator", "init", sim])
        #expect(initialized.status == 0, "\(initialized.stderr)")
        return sim
    }

    @Test func verifyPostureAndStatusAgainstTheDaemon() throws {
        let directory = try temporaryDirectory()
        let sim = try simulator(in: directory)
        let serve = try ServeProcess(directory: directory, simulator: sim)

        // Report and binding verify under the simulator's policy whatever this machine's posture is.
        let lenient = try CLIRunner.run(["verify", "--posture", serve.url, "--policy", sim + "/policy.toml", "--accept-posture", "fail"])
        #expect(lenient.status == 0, "\(lenient.stdout)\(lenient.stderr)")
        for line in ["PASS report-signature", "PASS policy", "PASS nonce", "PASS binding", "PASS document", "PASS posture", "VERIFIED"] {
            #expect(lenient.stdout.contains(line), "missing \(line)")
        }
        // Strict: exit 0 exactly when this machine's posture is ok.
        let strict = try CLIRunner.run(["verify", "--posture", serve.url, "--policy", sim + "/policy.toml", "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(strict.stdout.utf8)) as? [String: Any]
        #expect(json?["schema"] as? String == "guestguard.posture-verify/v1")
        let checks = json?["checks"] as? [[String: Any]] ?? []
        let postureOK = checks.first { $0["check"] as? String == "posture" }?["passed"] as? Bool
        #expect(postureOK != nil)
        #expect((strict.status == 0) == (postureOK == true))

        // Another simulator's ARK is not trusted.
        let other = try CLIRunner.run(["simulator", "init", directory + "/other"])
        #expect(other.status == 0)
        let untrusted = try CLIRunner.run(["verify", "--posture", serve.url, "--policy", directory + "/other/policy.toml", "--accept-posture", "fail"])
        #expect(untrusted.status == 1)
        #expect(untrusted.stdout.contains("NOT VERIFIED"))

        // `status` reads the live document from the socket.
        let status = try CLIRunner.run(["status", "--socket", serve.socketPath])
        #expect(status.stdout.contains("from the guestguard daemon"), "\(status.stdout)\(status.stderr)")
        let local = try CLIRunner.run(["status", "--socket", ""])
        #expect(!local.stdout.contains("from the guestguard daemon"))
        #expect(status.status == local.status)

        #expect(serve.terminate() == 0)
        #expect(!FileManager.default.fileExists(atPath: serve.socketPath))
        // Without the daemon, status computes the posture itself.
        let fallback = try CLIRunner.run(["status", "--socket", serve.socketPath])
        #expect(!fallback.stdout.contains("from the guestguard daemon"))
        #expect(fallback.stdout.hasPrefix("posture: "))
    }

    @Test func sigtermShutsDownCleanlyAndSystemdIsNotified() throws {
        let directory = try temporaryDirectory()
        let sim = try simulator(in: directory)
        let notify = directory + "/notify"
        let listener = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (index, byte) in notify.utf8.enumerated() { raw[index] = byte } }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        #expect(bound == 0)
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        func receive() -> String? {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = recv(listener, &buffer, buffer.count, 0)
            return n >= 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
        }

        let serve = try ServeProcess(directory: directory, simulator: sim, environment: ["NOTIFY_SOCKET": notify, "WATCHDOG_USEC": "400000"])
        let ready = receive()
        #expect(ready?.hasPrefix("READY=1\nSTATUS=serving 127.0.0.1:\(serve.port)") == true, "\(ready ?? "nothing")")
        #expect(receive() == "WATCHDOG=1")
        #expect(FileManager.default.fileExists(atPath: serve.socketPath))
        let attributes = try FileManager.default.attributesOfItem(atPath: serve.socketPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        #expect(serve.terminate() == 0)
        var rest: [String] = []
        while let message = receive() {
            rest.append(message)
            if message == "STOPPING=1" { break }
        }
        #expect(rest.last == "STOPPING=1")
        #expect(!FileManager.default.fileExists(atPath: serve.socketPath))
        #expect(serve.remainingOutput().contains("stopped"))
    }

    @Test func usageErrorsAreClear() throws {
        let badListen = try CLIRunner.run(["serve", "--listen", "nowhere"])
        #expect(badListen.status != 0)
        #expect(badListen.stderr.contains("--listen"))
        let nothing = try CLIRunner.run(["serve", "--listen", "", "--socket", ""])
        #expect(nothing.stderr.contains("--listen or --socket"))
        let both = try CLIRunner.run(["verify", "report.bin", "--posture", "http://127.0.0.1:1"])
        #expect(both.stderr.contains("not both"))
        let httpsWithoutPin = try CLIRunner.run(["verify", "--posture", "https://127.0.0.1:1"])
        #expect(httpsWithoutPin.stderr.contains("--broker-ca or --broker-pin"))
        let refused = try CLIRunner.run(["verify", "--posture", "http://127.0.0.1:1"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("cannot fetch the attestation"))
    }
}

/// `serve --policy` hosts the deny-policy watcher: it enforces at start, puts a drifted setting
/// back, and the drift shows in the posture document. Runs on a tree (`--root`), never on this
/// machine.
@Suite(.serialized) struct ServeEnforcementCLITests {
    func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    func waitFor(_ what: String, timeout: TimeInterval = 20, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }

    func get(_ url: String) throws -> String {
        try ProgramRunner(timeout: .seconds(60)).run("/usr/bin/curl", ["-s", "--max-time", "10", url]).standardOutput
    }

    @Test func reenforcesDriftAndReportsIt() throws {
        let directory = TemporaryFileTree.shared.directory("serve-deny")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tree = directory + "/tree"
        try FileManager.default.createDirectory(atPath: tree + "/proc/sys/kernel", withIntermediateDirectories: true)
        let sysrq = tree + "/proc/sys/kernel/sysrq"
        try "438\n".write(toFile: sysrq, atomically: false, encoding: .utf8)
        let policy = directory + "/policy.toml"
        try "[items]\nsysrq = \"enforce\"\n\n[watch]\ninterval-seconds = 1\n".write(toFile: policy, atomically: false, encoding: .utf8)
        let sim = directory + "/sim"
        #expect(try CLIRunner.run(["simulator", "init", sim]).status == 0)
        let serve = try ServeProcess(directory: directory, simulator: sim, extra: ["--root", tree, "--policy", policy])
        defer { _ = serve.terminate() }
        #expect(serve.startupText.contains("(deny policy \(policy), enforced)"), "\(serve.startupText)")

        #expect(waitFor("enforced at start") { read(sysrq).hasPrefix("0") }, "sysrq is \(read(sysrq))")
        try "1\n".write(toFile: sysrq, atomically: false, encoding: .utf8)
        #expect(waitFor("put back") { read(sysrq).hasPrefix("0") }, "the drifted sysrq was not put back: \(read(sysrq))")

        var document: [String: Any] = [:]
        _ = waitFor("drift in the document") {
            let body = (try? get(serve.url + "/v1/posture")) ?? ""
            document = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
            let events = (document["drift"] as? [String: Any])?["events"] as? [[String: Any]] ?? []
            return events.contains { $0["item"] as? String == "sysrq" && $0["action"] as? String == "reenforced" && ($0["change"] as? String ?? "").contains("drifted") }
        }
        let drift = document["drift"] as? [String: Any]
        let events = drift?["events"] as? [[String: Any]] ?? []
        #expect(events.contains { $0["item"] as? String == "sysrq" && $0["action"] as? String == "reenforced" }, "\(drift ?? [:])")
        #expect(try get(serve.url + "/metrics").contains("guestguard_drift_events_total"))

        // Without --policy nothing is enforced, even on a tree.
        try "1\n".write(toFile: sysrq, atomically: false, encoding: .utf8)
        #expect(serve.terminate() == 0)
        let reportOnly = try ServeProcess(directory: directory + "/b", simulator: sim, extra: ["--root", tree, "--interval", "1"])
        defer { _ = reportOnly.terminate() }
        #expect(reportOnly.startupText.contains("(deny policy defaults, report only)"))
        usleep(2_500_000)
        #expect(read(sysrq) == "1\n")
    }
}
