import Foundation
import GuestGuardTestSupport
import KDSCollateral
import KeyBrokerTestSupport
import SNPABI
import Testing

/// `guestguard fetch vcek|ca|crl` against a loopback stand-in for AMD's KDS (never the internet).
@Suite struct FetchCLITests {
    func temporaryDirectory() throws -> String {
        TemporaryFileTree.shared.directory("fetch")
    }

    @Test func fetchesTheSimulatorsVCEKByReportAndByChipAndTheCAAndCRL() async throws {
        let kds = try await KDSStandIn.start()
        defer { Task { await kds.stop() } }
        let simulator = try KDSSimulator.processor()
        let crl = try KDSSimulator.revocationList(daysValid: 7)
        try KDSSimulator.serve(kds, crl: crl)
        let directory = try temporaryDirectory()
        let (report, _) = try simulator.attestation(reportData: [UInt8](repeating: 1, count: 64), vmpl: 0)
        try Data(report).write(to: URL(fileURLWithPath: directory + "/report.bin"))

        let byReport = try CLIRunner.run(["fetch", "vcek", directory + "/report.bin", "--kds-url", kds.baseURL, "-o", directory + "/a.der"])
        #expect(byReport.status == 0, "\(byReport.stderr)")
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/a.der"))) == simulator.vcek.derBytes)

        let tcb = String(simulator.settings.tcb.rawValue, radix: 16)
        let byChip = try CLIRunner.run(["fetch", "vcek", "--product", "Milan", "--chip-id", Hex.encode(simulator.settings.chipID),
                                        "--reported-tcb", String(repeating: "0", count: 16 - tcb.count) + tcb, "--kds-url", kds.baseURL,
                                        "-o", directory + "/b.der"])
        #expect(byChip.status == 0, "\(byChip.stderr)")
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/b.der"))) == simulator.vcek.derBytes)

        let ca = try CLIRunner.run(["fetch", "ca", "--product", "Milan", "--kds-url", kds.baseURL])
        let pem = try simulator.ask.pemEncoded() + simulator.ark.pemEncoded()
        #expect(ca.status == 0 && ca.stdout == pem)

        let list = try CLIRunner.run(["fetch", "crl", "--product", "Milan", "--kds-url", kds.baseURL, "-o", directory + "/milan.crl"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/milan.crl"))) == crl)

        // Another TCB is another URL: 404, reported as such, nothing written.
        let wrong = try CLIRunner.run(["fetch", "vcek", "--product", "Milan", "--chip-id", Hex.encode(simulator.settings.chipID),
                                       "--reported-tcb", "0000000000000001", "--kds-url", kds.baseURL, "-o", directory + "/c.der"])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("404"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/c.der"))
    }

    /// An https KDS without a usable CA bundle is refused when the broker starts, not fetched unauthenticated.
    @Test func serveRefusesAnHTTPSKDSWithoutACABundleAndAnUnknownProduct() throws {
        let directory = try temporaryDirectory()
        let missing = try CLIRunner.run(["serve", "--listen", "127.0.0.1:0", "--data", directory, "--kds-ca-file", directory + "/none.pem"],
                                        executable: BrokerProcess.executable)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("--kds-url off") && missing.stderr.contains("none.pem"), "\(missing.stderr)")
        let product = try CLIRunner.run(["serve", "--data", directory, "--kds-product", "Naples"], executable: BrokerProcess.executable)
        #expect(product.status != 0 && product.stderr.contains("--kds-product"))
    }
}
