import Foundation

/// Runs `python3` as an independent peer implementation in interop tests (`cryptography`,
/// `jwcrypto`, `rfc8785`, `tomllib`; `make deps` installs the PyPI ones). A missing package fails
/// the test rather than skipping it.
public enum PythonPeer {
    public struct Failure: Error, CustomStringConvertible {
        public let status: Int32
        public let stderr: String
        public var description: String { "python3 exited with \(status): \(stderr)" }
    }

    /// Runs `script` with `arguments` and `input` on standard input; returns standard output.
    /// Warnings (e.g. about serial number 0) go to standard error and are ignored.
    public static func run(_ script: String, arguments: [String] = [], input: [UInt8]? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input)) }
        try stdin.fileHandleForWriting.close()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(status: process.terminationStatus, stderr: String(decoding: stderr, as: UTF8.self))
        }
        return String(decoding: stdout, as: UTF8.self)
    }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    public static func temporaryFile(_ bytes: [UInt8], suffix: String) throws -> String {
        let url = temporaryFile("guestguard").appendingPathExtension(suffix.hasPrefix(".") ? String(suffix.dropFirst()) : suffix)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A fresh path in the temporary directory.
    public static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    }
}
