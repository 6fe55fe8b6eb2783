import Foundation
import GuestGuardTestSupport
import Testing

/// Issue 14's small defects, end to end: a broker whose audit log cannot be written (/dev/full)
/// releases nothing; `get-resource --out -` whose standard output cannot take the key fails
/// instead of reporting success; to a pipe, the key arrives whole.
extension BrokerCLITests {
    /// `get-resource --out -` with its standard output on a pipe (what it wrote, as bytes), or on
    /// `/dev/full` (through `sh`'s redirection).
    func fetchToStandardOutput(_ broker: BrokerProcess, dir: String, full: Bool) throws -> (status: Int32, stderr: String, stdout: [UInt8]) {
        let command = [CLIRunner.executable.path, "get-resource"] + broker.trust
            + ["--resource", "default/disk/root", "--simulator", dir + "/sim", "--attempts", "1", "--out", "-"]
        let child = try ChildProcess("/bin/sh", ["-c", full ? "exec \"$0\" \"$@\" >/dev/full" : "exec \"$0\" \"$@\""] + command)
        let status = child.waitForExit(timeout: .seconds(600)) ?? child.stop()
        return (status, child.standardError, child.standardOutputBytes)
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

        let failed = try fetchToStandardOutput(broker, dir: dir, full: true)
        #expect(failed.status != 0, "a key that could not be written was reported as fetched")
        #expect(failed.stderr.contains("standard output") && failed.stderr.contains("ENOSPC"), "\(failed.stderr)")

        let fetched = try fetchToStandardOutput(broker, dir: dir, full: false)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(Data(fetched.stdout) == key)
    }
}
