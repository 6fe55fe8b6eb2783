import GuestGuardLinuxProcesses

/// Runs an independent peer (openssl, curl, python3) to completion and captures its output, through
/// `ProgramRunner` (posix_spawn + poll: both streams read concurrently, a deadline, no inherited descriptors).
enum ExternalProcess {
    struct Failure: Error, CustomStringConvertible {
        let command: String
        let result: ProgramRunner.Outcome
        var description: String { "\(command) exited \(result.status): \(result.standardError)" }
    }

    static let runner = ProgramRunner(timeout: .seconds(300), environment: ProgramRunner.inheritedEnvironment, outputLimit: 64 << 20)

    /// Awaits the process without blocking a cooperative thread that our server's handlers need.
    static func run(_ executable: String, _ arguments: [String], currentDirectory: String? = nil) async throws -> ProgramRunner.Outcome {
        try await runner.run(executable, arguments, workingDirectory: currentDirectory)
    }

    static func runBlocking(_ executable: String, _ arguments: [String], currentDirectory: String? = nil) throws -> ProgramRunner.Outcome {
        try runner.run(executable, arguments, workingDirectory: currentDirectory)
    }

    /// Like `run`, but a non-zero exit is an error.
    @discardableResult
    static func check(_ executable: String, _ arguments: [String], currentDirectory: String? = nil) throws -> ProgramRunner.Outcome {
        let result = try runBlocking(executable, arguments, currentDirectory: currentDirectory)
        guard result.status == 0 else { throw Failure(command: ([executable] + arguments).joined(separator: " "), result: result) }
        return result
    }
}
