import Foundation
import GuestGuardCrypto
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import SNPABI
import SNPSimulator
import Testing

/// The simulated AMD-SP: its reports parse strictly, carry what was configured, and are signed
/// by a VCEK whose certificate has AMD's extensions and chains ARK → ASK → VCEK with RSA-PSS.
@Suite struct SimulatedSecureProcessorTests {
    static let now: Int64 = 1_795_000_000

    func makeSimulator(_ generation: ProcessorGeneration = .milan, reportVersion: UInt32 = 3) throws -> (TemporaryFileTree, SimulatedSecureProcessor) {
        let tree = TemporaryFileTree(prefix: "guestguard-sim")
        var settings = SimulatorSettings()
        settings.generation = generation
        settings.reportVersion = reportVersion
        settings.measurement = (0..<48).map { UInt8($0) }
        settings.chipID = (0..<64).map { generation == .turin && $0 >= 8 ? 0 : UInt8(0xA0 &+ $0) }
        settings.hostData = [UInt8](repeating: 0x42, count: 32)
        let simulator = try SimulatedSecureProcessor.initialize(directory: "/sim", settings: settings, files: tree.fileSystem,
                                                                random: GetrandomSource(), now: Self.now)
        return (tree, simulator)
    }

    @Test(arguments: [(ProcessorGeneration.milan, UInt32(3)), (.genoa, 3), (.turin, 5), (.milan, 5)])
    func reportsParseAndCarryTheSettings(generation: ProcessorGeneration, version: UInt32) throws {
        let (_, simulator) = try makeSimulator(generation, reportVersion: version)
        let reportData = (0..<64).map { UInt8(255 - $0) }
        let (bytes, certificates) = try simulator.attestation(reportData: reportData, vmpl: 0)
        let report = try AttestationReport(bytes: bytes)
        #expect(report.version == version)
        #expect(report.generation == generation)
        #expect(report.reportData == reportData)
        #expect(report.measurement == (0..<48).map { UInt8($0) })
        #expect(report.hostData == [UInt8](repeating: 0x42, count: 32))
        #expect(report.reportedTCB.snp == 8 && report.reportedTCB.microcode == 115 && report.reportedTCB.bootLoader == 3)
        #expect(report.keyInfo.signingKey == .vcek)
        #expect(!report.policy.debug)
        let table = try CertificateTable(bytes: certificates)
        #expect(table.certificate(.vcek) == simulator.vcek.derBytes)
        #expect(table.certificate(.ark) == simulator.ark.derBytes)
        // The signature verifies under the VCEK over exactly the signed bytes.
        let signature = try ECDSASignature(rBigEndian: report.signature.rBigEndian, sBigEndian: report.signature.sBigEndian)
        #expect(try simulator.vcek.publicKey().isValidP384SHA384Signature(signature, over: report.signedBytes))
        var tampered = Array(report.signedBytes)
        tampered[0x90] ^= 1
        #expect(try !simulator.vcek.publicKey().isValidP384SHA384Signature(signature, over: tampered))
    }

    @Test func vcekCarriesAMDExtensions() throws {
        let (_, simulator) = try makeSimulator(.milan)
        let arc = "1.3.6.1.4.1.3704.1"
        #expect(try simulator.vcek.extensionValue(objectIdentifier: "\(arc).2") == [0x16, 8] + Array("Milan-B0".utf8))
        #expect(try simulator.vcek.extensionValue(objectIdentifier: "\(arc).3.3") == [0x02, 0x01, 8])
        #expect(try simulator.vcek.extensionValue(objectIdentifier: "\(arc).3.8") == [0x02, 0x01, 115])
        #expect(try simulator.vcek.extensionValue(objectIdentifier: "\(arc).4") == simulator.settings.chipID)
        #expect(simulator.vcek.serialNumber.isZero)
        #expect(simulator.ark.subject.commonName == "ARK-Milan")
        #expect(simulator.vcek.subject.description.contains("NOT AMD"))
    }

    @Test func reloadsFromItsDirectoryAndRefusesAForeignKey() throws {
        let (tree, simulator) = try makeSimulator()
        let loaded = try SimulatedSecureProcessor(directory: "/sim", files: tree.fileSystem, random: GetrandomSource())
        #expect(loaded.settings == simulator.settings)
        #expect(loaded.arkFingerprint == simulator.arkFingerprint)
        let key = try #require(try tree.fileSystem.status("/sim/vcek-key.pem"))
        #expect(key.permissions == 0o600)
        try tree.fileSystem.writeFile("/sim/vcek-key.pem", bytes: Array(try P384PrivateKey().pkcs8PEM().utf8), mode: 0o600)
        #expect(throws: SimulatorError.self) { try SimulatedSecureProcessor(directory: "/sim", files: tree.fileSystem, random: GetrandomSource()) }
    }

    @Test func refusesWhatFirmwareRefuses() throws {
        let (_, simulator) = try makeSimulator()
        #expect(throws: SimulatorError.self) { try simulator.attestation(reportData: [1, 2, 3], vmpl: 0) }
        #expect(throws: SimulatorError.self) { try simulator.attestation(reportData: [UInt8](repeating: 0, count: 64), vmpl: 4) }
        #expect(try AttestationReport(bytes: simulator.attestation(reportData: [UInt8](repeating: 0, count: 64), vmpl: 2).report).vmpl == 2)
    }

    @Test func settingsRoundTripAndNamedErrors() throws {
        var settings = SimulatorSettings()
        settings.generation = .turin
        settings.fmc = 2
        settings.chipID = [1, 2, 3, 4, 5, 6, 7, 8] + [UInt8](repeating: 0, count: 56)
        let parsed = try SimulatorSettings(parsing: settings.tomlText, fileName: "simulator.toml")
        #expect(parsed == settings)
        let bad = settings.tomlText.replacingOccurrences(of: "snp = 8", with: "snp = 300")
        let error = try #require(throws: SimulatorError.self) { try SimulatorSettings(parsing: bad, fileName: "simulator.toml") }
        #expect("\(error)".contains("simulator.toml:"))
        #expect("\(error)".contains("snp"))
        let unknown = settings.tomlText + "colour = \"blue\"\n"
        #expect(throws: SimulatorError.self) { try SimulatorSettings(parsing: unknown, fileName: "simulator.toml") }
        var turinBad = settings
        turinBad.chipID[20] = 1
        #expect(throws: SimulatorError.self) { try turinBad.validate() }
    }

    /// An independent verifier (Python `cryptography`) checks the chain's RSA-PSS signatures and
    /// the report's ECDSA signature exactly as AMD's are checked.
    @Test func pythonCryptographyVerifiesChainAndReport() throws {
        let (tree, simulator) = try makeSimulator(.genoa)
        let (report, _) = try simulator.attestation(reportData: [UInt8](repeating: 7, count: 64), vmpl: 0)
        try tree.fileSystem.writeFile("/sim/report.bin", bytes: report, mode: 0o644)
        let script = """
            import sys
            from cryptography import x509
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import padding, ec, utils
            d = sys.argv[1]
            load = lambda n: x509.load_pem_x509_certificate(open(f"{d}/{n}", "rb").read())
            ark, ask, vcek = load("ark.pem"), load("ask.pem"), load("vcek.pem")
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=48)
            for child, parent in ((ark, ark), (ask, ark), (vcek, ask)):
                parent.public_key().verify(child.signature, child.tbs_certificate_bytes, pss, hashes.SHA384())
                assert child.signature_algorithm_oid.dotted_string == "1.2.840.113549.1.1.10"
            r = open(f"{d}/report.bin", "rb").read()
            ri = int.from_bytes(r[0x2A0:0x2E8], "little"); si = int.from_bytes(r[0x2E8:0x330], "little")
            vcek.public_key().verify(utils.encode_dss_signature(ri, si), r[:0x2A0], ec.ECDSA(hashes.SHA384()))
            assert isinstance(vcek.public_key().curve, ec.SECP384R1)
            print("ok")
            """
        let output = try PythonPeer.run(script, arguments: [tree.root + "/sim"])
        #expect(output.contains("ok"))
    }
}

@Suite struct SimulatedReportProviderTests {
    @Test func servesThroughTheProviderProtocol() async throws {
        let tree = TemporaryFileTree(prefix: "guestguard-sim")
        let processor = try SimulatedSecureProcessor.initialize(directory: "/sim", settings: SimulatorSettings(), files: tree.fileSystem,
                                                                random: GetrandomSource(), now: 1_795_000_000)
        let provider: any AttestationReportProvider = SimulatedReportProvider(processor: processor)
        let data = [UInt8](repeating: 9, count: 64)
        let raw = try await provider.attestationReport(reportData: data, vmpl: 1)
        #expect(raw.provider == "simulator")
        #expect(try AttestationReport(bytes: raw.report).reportData == data)
        #expect(raw.certificates != nil)
        await #expect(throws: AttestationFetchError.invalidReportDataLength(3)) { try await provider.attestationReport(reportData: [1, 2, 3], vmpl: 0) }
    }
}
