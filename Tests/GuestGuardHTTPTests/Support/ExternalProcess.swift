import Foundation

/// Runs an independent peer (openssl, curl, python3) to completion and captures its output.
enum ExternalProcess {
    struct Result {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    struct Failure: Error, CustomStringConvertible {
        let command: String
        let result: Result
        var description: String { "\(command) exited \(result.status): \(result.standardError)" }
    }

    /// Runs the process on its own thread, so that waiting for it never blocks one of the few
    /// cooperative threads that our server's handlers need.
    static func run(_ executable: String, _ arguments: [String], currentDirectory: String? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Swift.Result { try runBlocking(executable, arguments, currentDirectory: currentDirectory) })
            }.start()
        }
    }

    static func runBlocking(_ executable: String, _ arguments: [String], currentDirectory: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }

    /// Like `run`, but a non-zero exit is an error.
    @discardableResult
    static func check(_ executable: String, _ arguments: [String], currentDirectory: String? = nil) throws -> Result {
        let result = try runBlocking(executable, arguments, currentDirectory: currentDirectory)
        guard result.status == 0 else { throw Failure(command: ([executable] + arguments).joined(separator: " "), result: result) }
        return result
    }
}
