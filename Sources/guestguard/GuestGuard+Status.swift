import ArgumentParser
import GuestGuardCore
import GuestGuardLinux

extension GuestGuard {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report the VM's encryption posture.",
            discussion: """
                Items: memory encryption, root and swap encryption, kernel lockdown, kernel.sysrq, active \
                kernel consoles. Each is ok, warn, fail or unknown with a one-line reason. Exit status: 0 all \
                ok, 1 any warn or unknown, 2 any fail. JSON schema: guestguard.status/v1 (docs/schemas.md).
                """
        )

        @Flag(help: "Print the guestguard.status/v1 JSON document.")
        var json = false

        @Option(help: ArgumentHelp("Evaluate every item of the deny policy FILE (docs/deny.md) under its mode; adds `channel` and `mode` to each JSON item.", valueName: "FILE"))
        var policy: String?

        @OptionGroup var environment: EnvironmentOptions

        func run() throws {
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
    }
}
