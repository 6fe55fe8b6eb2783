import Foundation
import GuestGuardLinux
import GuestGuardLinuxProcesses

/// Runs the built `guestguard` executable (it sits next to the test bundle in the build directory),
/// through `ProgramRunner` (posix_spawn + poll): both streams read concurrently, a deadline, no
/// inherited descriptors.
struct CLIRunner {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var executable: URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundleDirectory.appendingPathComponent("guestguard")
    }

    /// - Parameter environment: added to this process's environment.
    static func run(_ arguments: [String], executable: URL = CLIRunner.executable, environment: [String: String] = [:]) throws -> Outcome {
        let inherited = ProgramRunner.inheritedEnvironment.filter { entry in
            !environment.keys.contains { entry.hasPrefix($0 + "=") }
        }
        let runner = ProgramRunner(timeout: .seconds(600), environment: inherited + environment.map { "\($0.key)=\($0.value)" }, outputLimit: 64 << 20)
        let outcome = try runner.run(executable.path, arguments)
        return Outcome(status: outcome.status, stdout: outcome.standardOutput, stderr: outcome.standardError)
    }
}
