import Foundation
import KeyBrokerTestSupport
import Testing

/// `guestguard-broker crl import|show` and `serve --revocation required`, end to end: a CRL signed
/// by the simulator's ARK (Python's `cryptography`) is stored after its signature is checked; a
/// forged one, or one checked against AMD's ARK instead, is refused; with revocation required a
/// broker releases only once a current CRL is in the store.
extension BrokerCLITests {
    @Test func crlImportChecksTheSignatureAndRequiredRevocationNeedsIt() throws {
        let (dir, key) = try setUp()
        let fetch = ["get-resource", "--resource", "default/disk/root", "--simulator", dir + "/sim", "--attempts", "1", "--out", dir + "/fetched.key"]
        let withoutCRL = try BrokerProcess(data: dir + "/data", extra: ["--revocation", "required", "--kds-url", "off"])
        let refused = try CLIRunner.run(Array(fetch.prefix(1)) + withoutCRL.trust + Array(fetch.dropFirst()))
        let refusedOutput = withoutCRL.stop()
        #expect(refused.status != 0, "released without a CRL:\n\(refusedOutput)")
        #expect(refusedOutput.contains("revocation is required and there is no current AMD CRL"), "\(refusedOutput)")
        #expect(!refusedOutput.contains("\"decision\":\"release\""))

        let crl = dir + "/milan.crl", forged = dir + "/forged.crl"
        try Data(try KDSSimulator.revocationList(arkKey: dir + "/sim/ark-key.pem", ark: dir + "/sim/ark.pem", daysValid: 7, revoking: ["0x4242"]))
            .write(to: URL(fileURLWithPath: crl))
        #expect(try CLIRunner.run(["simulator", "init", dir + "/other"]).status == 0)
        try Data(try KDSSimulator.revocationList(arkKey: dir + "/other/ark-key.pem", ark: dir + "/sim/ark.pem", daysValid: 7))
            .write(to: URL(fileURLWithPath: forged))
        let forgedImport = try runBroker(["crl", "import", forged, "--ark", dir + "/sim/ark.pem", "--data", dir + "/data"])
        #expect(forgedImport.status != 0)
        #expect(forgedImport.stderr.contains("signature"), "\(forgedImport.stderr)")
        let againstAMD = try runBroker(["crl", "import", crl, "--data", dir + "/data"])
        #expect(againstAMD.status != 0, "the simulator's CRL verified under AMD's ARK")
        #expect(try runBroker(["crl", "show", "--data", dir + "/data"]).stdout.contains("no CRL in the store"))
        let imported = try runBroker(["crl", "import", crl, "--ark", dir + "/sim/ark.pem", "--data", dir + "/data"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("stored the Milan CRL"))
        #expect(try runBroker(["crl", "show", "--data", dir + "/data"]).stdout.contains("Milan\tissuer"))

        let withCRL = try BrokerProcess(data: dir + "/data", extra: ["--revocation", "required", "--kds-url", "off"])
        let fetched = try CLIRunner.run(Array(fetch.prefix(1)) + withCRL.trust + Array(fetch.dropFirst()))
        let output = withCRL.stop()
        #expect(fetched.status == 0, "\(fetched.stderr)\n\(output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/fetched.key")) == key)
    }
}
