import SNPABI
import Testing

@Suite struct AttestationReportDraftTests {
    @Test(arguments: ReportVector.allCases)
    func draftOfParsedReportReproducesIt(vector: ReportVector) throws {
        let original = try vector.load()
        let draft = AttestationReportDraft(try AttestationReport(bytes: original))
        #expect(draft.serializedBytes() == original)
    }

    @Test func defaultsParseAsVersion2() throws {
        let report = try AttestationReport(bytes: AttestationReportDraft().serializedBytes())
        #expect(report.version == 2)
        #expect(report.policy.rawValue == 0x30000)
        #expect(report.signatureAlgorithm == 1)
        #expect(report.keyInfo.signingKey == .vcek)
        #expect(report.reportIDMA.allSatisfy { $0 == 0xFF })
        #expect(report.measurement.allSatisfy { $0 == 0 })
    }

    @Test func editedFieldsLandAtTheirOffsets() throws {
        var draft = AttestationReportDraft()
        draft.version = 5
        draft.policy = GuestPolicy(rawValue: 0xB0000)
        draft.vmpl = 2
        draft.reportData = (0..<64).map { UInt8($0) }
        draft.cpuid = (0x1A, 0x02, 0)
        draft.chipID = [0x1E, 0x55, 0x0A, 0x8E, 0xE5, 0xCF, 0x9F, 0x4D] + [UInt8](repeating: 0, count: 56)
        draft.reportedTCB = TCBVersion(bootLoader: 2, tee: 3, snp: 4, microcode: 9, fmc: 1, generation: .turin).rawValue
        draft.currentFirmware = FirmwareVersion(major: 1, minor: 58, build: 7)
        draft.mitigationVectors = (launch: 3, current: 7)
        let bytes = draft.serializedBytes()
        #expect(ReportMutation.readLittleEndian(UInt32.self, at: 0x030, in: bytes) == 2)
        #expect(Array(bytes[0x050..<0x090]) == draft.reportData)
        #expect(Array(bytes[0x1E8..<0x1EB]) == [7, 58, 1])
        let report = try AttestationReport(bytes: bytes)
        #expect(report.policy.debug)
        #expect(report.generation == .turin)
        #expect(report.reportedTCB.fmc == 1 && report.reportedTCB.snp == 4)
        #expect(report.launchMitigationVector == 3 && report.currentMitigationVector == 7)
        #expect(report.currentFirmware.description == "1.58.7")
    }

    @Test func cpuidInVersion2DraftIsRejectedByTheParser() {
        var draft = AttestationReportDraft()
        draft.cpuid = (0x19, 0x01, 1)
        #expect(throws: ReportParseError.reservedNonZero(range: 0x188..<0x1A0, bytes: [0x19, 0x01, 0x01] + [UInt8](repeating: 0, count: 21))) {
            try AttestationReport(bytes: draft.serializedBytes())
        }
    }
}
