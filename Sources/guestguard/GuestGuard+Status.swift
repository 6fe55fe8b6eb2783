import ArgumentParser
import CanonicalJSON
import GuestGuardBoot
import GuestGuardCore
import GuestGuardDetection
import GuestGuardPosture
import GuestGuardLinux
import GuestGuardLinuxProcesses
import PostureService

extension GuestGuard {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report the VM's encryption posture.",
            discussion: """
                Items: memory encryption, root and swap encryption, kernel lockdown, kernel.sysrq, active \
                kernel consoles. Each is ok, warn, fail or unknown with a one-line reason. Exit status: 0 all \
                ok, 1 any warn or unknown, 2 any fail. JSON schema: guestguard.status/v1 (docs/schemas.md). When \
                `guestguard serve` runs, the live posture (with drift) is read from its root-only socket instead.
                """
        )

        @Flag(help: "Print the guestguard.status/v1 JSON document.")
        var json = false

        @Option(help: ArgumentHelp("Evaluate every item of the deny policy FILE (docs/deny.md) under its mode; adds `channel` and `mode` to each JSON item.", valueName: "FILE"))
        var policy: String?

        @OptionGroup var environment: EnvironmentOptions

        @Option(help: ArgumentHelp("The daemon's socket; the live posture is read from it when it answers (empty: always compute).", valueName: "PATH"))
        var socket: String = PostureSocketClient.defaultSocketPath

        func run() throws {
            if environment.root.isEmpty, policy == nil, !socket.isEmpty, let document = Self.live(socket: socket) {
                if json { try Output.json(document) } else { print(PostureDocumentText.render(document)) }
                let code = PostureDocumentText.exitCode(document)
                if code != 0 { throw ExitCode(code) }
                return
            }
            let env = try environment.detectionEnvironment()
            let detection = EncryptionModeDetector().detect(env)
            let context = PostureContext(files: env.files, detection: detection, services: SystemctlServiceManager(root: environment.root))
            let report: StatusReport
            if let policy {
                let text = String(decoding: try CLIFiles.read(policy, option: "--policy", limit: 1 << 20), as: UTF8.self)
                let parsed: DenyPolicy
                do { parsed = try DenyPolicy(parsing: text, fileName: policy) } catch { throw CLIError(message: "invalid policy", causes: ["\(error)"]) }
                report = StatusReport.evaluate(policy: parsed, context: context, at: SystemClock().now())
            } else {
                report = StatusReport.evaluate(context: context, at: SystemClock().now())
            }
            if json { try Output.json(report.json) } else { print(report.text) }
            if report.exitCode != 0 { throw ExitCode(report.exitCode) }
        }

        /// The daemon's posture document, or nil when no daemon answers (not running, not root).
        static func live(socket: String) -> JSONValue? {
            guard let (status, body) = try? PostureSocketClient.get("/v1/posture", socketPath: CLIFiles.absolute(socket)), status == 200,
                let document = try? JSONParser.parse(body), document["schema"]?.stringValue == PostureSnapshot.schema
            else { return nil }
            return document
        }
    }
}
