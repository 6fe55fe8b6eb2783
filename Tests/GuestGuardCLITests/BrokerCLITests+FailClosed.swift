import Foundation
import Testing

/// Issue 14's small defects, end to end: a broker whose audit log cannot be written (/dev/full)
/// releases nothing; `get-resource --out -` whose standard output cannot take the key fails
/// instead of reporting success; to a pipe, the key arrives whole.
extension BrokerCLITests {
    /// `get-resource --out -` with its standard output on `stdout` (a file handle).
    func fetchToStandardOutput(_ broker: BrokerProcess, dir: String, stdout: FileHandle) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["get-resource"] + broker.trust + ["--resource", "default/disk/root", "--simulator", dir + "/sim", "--attempts", "1", "--out", "-"]
        let err = Pipe()
        process.standardOutput = stdout
        process.standardError = err
        try process.run()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }

    @Test func aBrokerThatCannotWriteItsAuditReleasesNothing() throws {
        let (dir, key) = try setUp()
        let broker = try BrokerProcess(data: dir + "/data", extra: ["--audit", "/dev/full"])
        let fetched = try CLIRunner.run(["get-resource"] + broker.trust + ["--resource", "default/disk/root", "--simulator", dir + "/sim",
                                         "--attempts", "1", "--out", dir + "/fetched.key"])
        let brokerOutput = broker.stop()
        #expect(fetched.status != 0, "released although the audit log is full:\n\(brokerOutput)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/fetched.key"))
        #expect(!brokerOutput.contains("\"decision\":\"release\""), "\(brokerOutput)")
        #expect(fetched.stderr.contains("audit log"), "\(fetched.stderr)")
        _ = key
    }

    @Test func theKeyOnStandardOutputIsWrittenWholeOrTheCommandFails() throws {
        let (dir, key) = try setUp()
        let broker = try BrokerProcess(data: dir + "/data")
        defer { _ = broker.stop() }

        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let failed = try fetchToStandardOutput(broker, dir: dir, stdout: full)
        #expect(failed.status != 0, "a key that could not be written was reported as fetched")
        #expect(failed.stderr.contains("standard output") && failed.stderr.contains("ENOSPC"), "\(failed.stderr)")

        let pipe = Pipe()
        let fetched = try fetchToStandardOutput(broker, dir: dir, stdout: pipe.fileHandleForWriting)
        try pipe.fileHandleForWriting.close()
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(pipe.fileHandleForReading.readDataToEndOfFile() == key)
    }
}
