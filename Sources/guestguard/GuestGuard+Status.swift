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

        @OptionGroup var environment: EnvironmentOptions

        func run() throws {
            let env = try environment.detectionEnvironment()
            let detection = EncryptionModeDetector().detect(env)
            let report = StatusReport.evaluate(context: PostureContext(files: env.files, detection: detection), at: SystemClock().now())
            if json { try Output.json(report.json) } else { print(report.text) }
            if report.exitCode != 0 { throw ExitCode(report.exitCode) }
        }
    }
}
