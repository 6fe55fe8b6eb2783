import SNPABI
import Testing

/// The values /work/shared/fixtures/snp/README.md lists for each real report.
struct VectorExpectation: Sendable, CustomStringConvertible {
    var vector: ReportVector
    var version: UInt32
    var guestSVN: UInt32
    var policy: UInt64
    var vmpl: UInt32
    var platformInfo: UInt64?
    var signingKey: SigningKey
    var measurementPrefix: String
    var chipIDPrefix: String
    /// bl / tee / snp / ucode of REPORTED_TCB.
    var reportedTCB: (UInt8, UInt8, UInt8, UInt8)
    var reportedTCBRaw: UInt64?
    var firmware: FirmwareVersion
    var cpuid: (UInt8, UInt8, UInt8)?
    var generation: ProcessorGeneration?

    var description: String { vector.rawValue }

    static let all: [VectorExpectation] = [
        VectorExpectation(
            vector: .goSEVGuestMilan, version: 2, guestSVN: 0, policy: 0xB0000, vmpl: 0, platformInfo: 0x1,
            signingKey: .vcek, measurementPrefix: "b07af9620f3b839b47996422", chipIDPrefix: "3ac3fe21e13fb099",
            reportedTCB: (2, 0, 5, 68), reportedTCBRaw: 0x4405_0000_0000_0002,
            firmware: FirmwareVersion(major: 1, minor: 49, build: 3), cpuid: nil, generation: nil
        ),
        VectorExpectation(
            vector: .virteeMilan, version: 2, guestSVN: 0, policy: 0x30000, vmpl: 0, platformInfo: nil,
            signingKey: .vcek, measurementPrefix: "7a1e5c266c0108dbc9bb94fa", chipIDPrefix: "d49554ec717f4e5b",
            reportedTCB: (3, 0, 8, 115), reportedTCBRaw: 0x7308_0000_0000_0003,
            firmware: FirmwareVersion(major: 1, minor: 52, build: 4), cpuid: nil, generation: nil
        ),
        VectorExpectation(
            vector: .trusteeMilan, version: 2, guestSVN: 4, policy: 0x3001F, vmpl: 0, platformInfo: nil,
            signingKey: .vcek, measurementPrefix: "a1f3930413247bb38cfc1715", chipIDPrefix: "c38427a30d4c7af9",
            reportedTCB: (3, 0, 8, 115), reportedTCBRaw: nil,
            firmware: FirmwareVersion(major: 1, minor: 52, build: 4), cpuid: nil, generation: nil
        ),
        VectorExpectation(
            vector: .trusteeVLEKMilan, version: 3, guestSVN: 0, policy: 0x30000, vmpl: 1, platformInfo: 0x27,
            signingKey: .vlek, measurementPrefix: "8922ebbdd00ec2c541f36a6e", chipIDPrefix: "0000000000000000",
            reportedTCB: (4, 0, 24, 217), reportedTCBRaw: nil,
            firmware: FirmwareVersion(major: 1, minor: 55, build: 29), cpuid: (0x19, 0x01, 1), generation: .milan
        ),
        VectorExpectation(
            vector: .trusteeGenoaV3, version: 3, guestSVN: 0, policy: 0x30000, vmpl: 0, platformInfo: 0x25,
            signingKey: .vcek, measurementPrefix: "6a6519d757e68c2e939c9dbb", chipIDPrefix: "371c55d6d15cb50f",
            reportedTCB: (10, 0, 23, 25), reportedTCBRaw: nil,
            firmware: FirmwareVersion(major: 1, minor: 55, build: 40), cpuid: (0x19, 0xA0, 2), generation: .genoa
        ),
    ]
}

@Suite struct AttestationReportVectorTests {
    @Test(arguments: VectorExpectation.all)
    func parsesREADMEValues(expected: VectorExpectation) throws {
        let report = try AttestationReport(bytes: expected.vector.load())
        #expect(report.version == expected.version)
        #expect(report.guestSVN == expected.guestSVN)
        #expect(report.policy.rawValue == expected.policy)
        #expect(report.vmpl == expected.vmpl)
        if let platformInfo = expected.platformInfo { #expect(report.platformInfo.rawValue == platformInfo) }
        #expect(report.keyInfo.signingKey == expected.signingKey)
        #expect(report.signatureAlgorithm == 1)
        #expect(try report.measurement.prefix(12) == Fixture.hex(expected.measurementPrefix)[...])
        #expect(try report.chipID.prefix(8) == Fixture.hex(expected.chipIDPrefix)[...])
        let tcb = report.reportedTCB
        #expect(tcb.bootLoader == expected.reportedTCB.0)
        #expect(tcb.tee == expected.reportedTCB.1)
        #expect(tcb.snp == expected.reportedTCB.2)
        #expect(tcb.microcode == expected.reportedTCB.3)
        #expect(tcb.fmc == nil)
        if let raw = expected.reportedTCBRaw { #expect(tcb.rawValue == raw) }
        #expect(report.currentFirmware == expected.firmware)
        #expect(report.cpuidFamilyID == expected.cpuid?.0)
        #expect(report.cpuidModelID == expected.cpuid?.1)
        #expect(report.cpuidStepping == expected.cpuid?.2)
        #expect(report.generation == expected.generation)
        #expect(report.launchMitigationVector == nil)
        #expect(report.currentMitigationVector == nil)
        // Every vector was made without a migration agent.
        #expect(report.reportIDMA == [UInt8](repeating: 0xFF, count: 32))
    }

    @Test(arguments: ReportVector.allCases)
    func roundTripsByteExact(vector: ReportVector) throws {
        let original = try vector.load()
        let report = try AttestationReport(bytes: original)
        #expect(report.bytes == original)
        #expect(report.serializedBytes() == original)
        #expect(report.signedBytes.startIndex == 0)
        #expect(Array(report.signedBytes) == Array(original[0..<0x2A0]))
        // R and S are little-endian in the report; the big-endian form is the reversed low 48 bytes.
        #expect(report.signature.rBigEndian == Array(original[0x2A0..<0x2D0].reversed()))
        #expect(report.signature.sBigEndian == Array(original[0x2E8..<0x318].reversed()))
        #expect(report.signature.r == Array(original[0x2A0..<0x2E8]))
        #expect(report.signature.s == Array(original[0x2E8..<0x330]))
        // Parsing from a non-Array collection gives an equal value.
        #expect(try AttestationReport(bytes: original[...]) == report)
    }

    @Test func goSEVGuestMilanFullFields() throws {
        let report = try AttestationReport(bytes: ReportVector.goSEVGuestMilan.load())
        #expect(report.policy.debug)
        #expect(report.policy.smtAllowed)
        #expect(!report.policy.migrateMA)
        #expect(report.policy.abiMajor == 0 && report.policy.abiMinor == 0)
        #expect(report.platformInfo.smtEnabled)
        #expect(!report.platformInfo.tsmeEnabled)
        #expect(report.keyInfo.rawValue == 0)
        #expect(!report.keyInfo.authorKeyEnabled)
        #expect(report.reportData == [1, 2, 3, 4, 5] + [UInt8](repeating: 0, count: 59))
        #expect(try report.measurement == Fixture.hex(
            "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01"))
        #expect(try report.reportID == Fixture.hex("8edc638e1857c555d21f6b11bda3c8b1b5a09dba4852b4c8ee7aa2f16f22cc0a"))
        #expect(try report.chipID == Fixture.hex(
            "3ac3fe21e13fb0990eb28a802e3fb6a29483a6b0753590c951bdd3b8e53786184ca39e359669a2b76a1936776b564ea464cdce40c05f63c9b610c5068b006b5d"))
        for zero in [report.hostData, report.familyID, report.imageID, report.idKeyDigest, report.authorKeyDigest] {
            #expect(zero.allSatisfy { $0 == 0 })
        }
        #expect(report.hostData.count == 32 && report.familyID.count == 16 && report.imageID.count == 16)
        #expect(report.idKeyDigest.count == 48 && report.authorKeyDigest.count == 48)
        for tcb in [report.currentTCB, report.committedTCB, report.launchTCB] {
            #expect(tcb.rawValue == 0x4405_0000_0000_0002)
        }
        #expect(report.currentFirmware.description == "1.49.3")
    }

    @Test func virteeMilanDataAndChipSuffix() throws {
        let report = try AttestationReport(bytes: ReportVector.virteeMilan.load())
        #expect(try report.reportData == Fixture.hex(
            "d447b55d197491bfe15cf298f9de9986b7a7c4be2468b4f6e2d53b71d7c645810b0f2cdfca0040433be063fc1a8293f0f3f8dae7b79fecb3d1cd82bd6a93ebfd"))
        #expect(report.chipID.suffix(2) == [0x1E, 0xB6])
        #expect(try report.measurement == Fixture.hex(
            "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f"))
    }

    @Test func trusteeMilanIDBlockFields() throws {
        let report = try AttestationReport(bytes: ReportVector.trusteeMilan.load())
        #expect(report.policy.abiMinor == 0x1F)
        #expect(try report.idKeyDigest.prefix(8) == Fixture.hex("0356215882a82527")[...])
        #expect(try report.reportData.prefix(8) == Fixture.hex("ec6c52d7533cc2c4")[...])
        #expect(report.reportData.suffix(32).allSatisfy { $0 == 0 })
        #expect(try report.measurement == Fixture.hex(
            "a1f3930413247bb38cfc171579ea3c12d5fe4901f0c792f63fd75d98f1ef827c23500644e0e692e6be917f9050d3d38c"))
    }

    @Test func trusteeVLEKTCBsDiffer() throws {
        let report = try AttestationReport(bytes: ReportVector.trusteeVLEKMilan.load())
        #expect(report.keyInfo.rawValue == 0x4)
        #expect(!report.keyInfo.maskChipKey)
        #expect(report.chipID.allSatisfy { $0 == 0 })
        #expect(report.currentTCB.microcode == 220)
        #expect(report.committedTCB.microcode == 219)
        #expect(report.launchTCB.microcode == 219)
        #expect(report.reportedTCB.microcode == 217)
        #expect(report.platformInfo.smtEnabled && report.platformInfo.tsmeEnabled && report.platformInfo.eccEnabled)
        #expect(report.platformInfo.aliasCheckComplete)
        #expect(!report.platformInfo.raplDisabled && !report.platformInfo.ciphertextHidingEnabled && !report.platformInfo.tioEnabled)
        #expect(report.platformInfo.reservedBits == 0)
        #expect(try report.measurement == Fixture.hex(
            "8922ebbdd00ec2c541f36a6e7a82a8773a7accb451ed67bc94e740dbe92c93c4e8c9af857f5ceeb5a493df2a570d7bf0"))
        #expect(report.currentFirmware.description == "1.55.29")
    }

    @Test func trusteeGenoaMeasurementAndChipSuffix() throws {
        let report = try AttestationReport(bytes: ReportVector.trusteeGenoaV3.load())
        #expect(try report.measurement == Fixture.hex(
            "6a6519d757e68c2e939c9dbbbc1828498e8de35d2766dd05f1a2cca5059d0cf4ae62a36d75c837974dd50b315506e73e"))
        #expect(report.chipID.suffix(2) == [0x18, 0xE8])
        #expect(report.generation?.kdsProductName == "Genoa")
        #expect(report.reportedTCB.generation == .genoa)
    }
}
