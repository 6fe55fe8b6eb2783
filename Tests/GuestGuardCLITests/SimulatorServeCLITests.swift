import Foundation
import GuestGuardTestSupport
import Testing

/// Issue 13, part 2: `guestguard simulator serve` signs the measurement `guestguard measure` computes
/// for the blobs it is given, and the guest side (`--simulator-port`) gets it over the socket.
@Suite(.serialized) struct SimulatorServeCLITests {
    /// `simulator serve` for a launch; stopped by `stop()`.
    final class Served {
        let process: ChildProcess
        init(_ arguments: [String]) throws {
            process = try ChildProcess(CLIRunner.executable.path, ["simulator", "serve"] + arguments)
            try process.waitForOutput { $0.contains("simulator listening on") ? () : nil }
        }
        func stop() -> String {
            process.stop()
            return process.output
        }
    }

    @Test func theReportCarriesTheMeasurementOfTheBlobsItWasGiven() throws {
        let dir = NSTemporaryDirectory() + "guestguard-sim-serve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try CLIRunner.run(["simulator", "init", dir + "/sim"]).status == 0)
        try Data("kernel".utf8).write(to: URL(fileURLWithPath: dir + "/vmlinuz"))
        try Data("initrd".utf8).write(to: URL(fileURLWithPath: dir + "/initrd"))
        func launch(append: String, vcpus: String) -> [String] {
            ["--mode", "snp", "--vcpus", vcpus, "--vcpu-type", "EPYC-v4", "--ovmf", MeasurementPolicyCLITests.firmware,
             "--kernel", dir + "/vmlinuz", "--initrd", dir + "/initrd", "--append", append]
        }
        var seen: Set<String> = []
        for (append, vcpus) in [("ro", "2"), ("ro init=/bin/sh", "2"), ("ro", "3")] {
            let expected = try CLIRunner.run(["measure"] + launch(append: append, vcpus: vcpus))
            #expect(expected.status == 0, "\(expected.stderr)")
            let served = try Served([dir + "/sim", "--socket", dir + "/sim.sock"] + launch(append: append, vcpus: vcpus))
            let report = try CLIRunner.run(["report", "--simulator-port", dir + "/sim.sock", "--nonce", "c0ffee", "--out", dir + "/r.bin"])
            let log = served.stop()
            #expect(report.status == 0, "\(report.stderr)\n\(log)")
            let measurement = expected.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(report.stdout.contains("measurement: \(measurement)"), "\(report.stdout)")
            #expect(log.contains("simulator: report for VMPL 0"), "\(log)")
            seen.insert(measurement)
        }
        #expect(seen.count == 3, "the command line and the vCPU count change the measurement")
        // The private key stays in the simulator's directory: the guest side needs only the socket.
        let noPort = try CLIRunner.run(["report", "--simulator-port", dir + "/absent.sock", "--nonce", "c0ffee"])
        #expect(noPort.status != 0 && noPort.stderr.contains("absent.sock"), "\(noPort.stderr)")
    }
}
