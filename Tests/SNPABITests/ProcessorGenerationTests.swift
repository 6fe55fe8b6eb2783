import SNPABI
import Testing

@Suite struct ProcessorGenerationTests {
    @Test(arguments: [
        (UInt8(0x19), UInt8(0x00), ProcessorGeneration?.some(.milan)), (0x19, 0x01, .milan), (0x19, 0x0F, .milan),
        (0x19, 0x10, .genoa), (0x19, 0x11, .genoa), (0x19, 0x1F, .genoa), (0x19, 0xA0, .genoa), (0x19, 0xAF, .genoa),
        (0x1A, 0x00, .turin), (0x1A, 0x11, .turin),
        (0x19, 0x20, nil), (0x19, 0x9F, nil), (0x19, 0xB0, nil), (0x1A, 0x12, nil), (0x1A, 0x50, nil),
        (0x17, 0x31, nil), (0x00, 0x00, nil),
    ])
    func cpuidRanges(family: UInt8, model: UInt8, expected: ProcessorGeneration?) {
        #expect(ProcessorGeneration(cpuidFamily: family, model: model) == expected)
    }

    @Test func kdsProductNames() {
        #expect(ProcessorGeneration.allCases.map(\.kdsProductName) == ["Milan", "Genoa", "Turin"])
        #expect(ProcessorGeneration(kdsProductName: "Milan-B0") == .milan)
        #expect(ProcessorGeneration(kdsProductName: "Genoa") == .genoa)
        #expect(ProcessorGeneration(kdsProductName: "Turin") == .turin)
        #expect(ProcessorGeneration(kdsProductName: "milan") == nil)
        #expect(ProcessorGeneration(kdsProductName: "Venice") == nil)
    }

    @Test func version2UsesTheCallerHint() throws {
        let bytes = try ReportVector.goSEVGuestMilan.load()
        #expect(try AttestationReport(bytes: bytes).generation == nil)
        let milan = try AttestationReport(bytes: bytes, generationHint: .milan)
        #expect(milan.generation == .milan)
        #expect(milan.reportedTCB.generation == .milan)
        #expect(milan.reportedTCB.snp == 5)
        // A Turin hint switches the TCB layout: the same raw value decodes differently.
        let turin = try AttestationReport(bytes: bytes, generationHint: .turin)
        #expect(turin.reportedTCB.rawValue == 0x4405_0000_0000_0002)
        #expect(turin.reportedTCB.fmc == 2)
        #expect(turin.reportedTCB.bootLoader == 0)
        #expect(turin.reportedTCB.snp == 0)
        #expect(turin.reportedTCB.microcode == 68)
    }

    @Test func version2TurinHeuristicNeedsShortUnmaskedChipID() throws {
        let shortChip = try ReportMutation.edited(.goSEVGuestMilan) { bytes in
            for offset in 0x1A8..<0x1E0 { bytes[offset] = 0 }
        }
        #expect(try AttestationReport(bytes: shortChip).generation == .turin)
        #expect(try AttestationReport(bytes: shortChip, generationHint: .genoa).generation == .genoa)
        var masked = shortChip
        ReportMutation.setLittleEndian(UInt32(0b10), at: 0x048, in: &masked)  // MASK_CHIP_KEY
        let maskedReport = try AttestationReport(bytes: masked)
        #expect(maskedReport.keyInfo.maskChipKey)
        #expect(maskedReport.generation == nil)
    }

    /// An all-zero CHIP_ID is masked whatever KEY_INFO says: it no longer reads as a short Turin
    /// ID (docs/snp-abi.md §3.3, "if CHIP_ID is masked a v2 report is ambiguous").
    @Test func version2AllZeroChipIDDecidesNothing() throws {
        let zeroChip = try ReportMutation.edited(.goSEVGuestMilan) { bytes in
            for offset in 0x1A0..<0x1E0 { bytes[offset] = 0 }
        }
        let report = try AttestationReport(bytes: zeroChip)
        #expect(!report.keyInfo.maskChipKey)
        #expect(report.generation == nil)
        #expect(report.tcbLayout == nil)
    }

    /// The TCB layout is decided where the generation is not: a version-2 report with a full
    /// CHIP_ID is Milan or Genoa, both legacy; a short one is Turin; version 3 follows CPUID.
    @Test func tcbLayoutRule() throws {
        let milan = try AttestationReport(bytes: ReportVector.goSEVGuestMilan.load())
        #expect(milan.generation == nil && milan.tcbLayout == .legacy)
        let shortChip = try ReportMutation.edited(.goSEVGuestMilan) { bytes in
            for offset in 0x1A8..<0x1E0 { bytes[offset] = 0 }
        }
        #expect(try AttestationReport(bytes: shortChip).tcbLayout == .turin)
        #expect(try AttestationReport(bytes: shortChip, generationHint: .milan).tcbLayout == .legacy)
        #expect(try AttestationReport(bytes: ReportVector.trusteeVLEKMilan.load()).tcbLayout == .legacy)
        let venice = try ReportMutation.edited(.trusteeGenoaV3) { bytes in
            bytes[0x188] = 0x1A
            bytes[0x189] = 0x50
        }
        #expect(try AttestationReport(bytes: venice).tcbLayout == nil)
        #expect(TCBLayout.legacy.reservedMask == 0x0000_FFFF_FFFF_0000 && TCBLayout.turin.reservedMask == 0x00FF_FFFF_0000_0000)
    }

    @Test func version3CPUIDWinsOverZeroChipID() throws {
        // The AWS VLEK report has an all-zero CHIP_ID, but CPUID says Milan.
        #expect(try AttestationReport(bytes: ReportVector.trusteeVLEKMilan.load()).generation == .milan)
    }

    @Test func version3HintContradictingCPUIDIsRejected() throws {
        let bytes = try ReportVector.trusteeGenoaV3.load()
        #expect(throws: ReportParseError.generationMismatch(hint: .milan, reported: .genoa)) {
            try AttestationReport(bytes: bytes, generationHint: .milan)
        }
        #expect(try AttestationReport(bytes: bytes, generationHint: .genoa).generation == .genoa)
    }

    @Test func version3UnknownCPUIDGivesNilAndIgnoresHint() throws {
        let bytes = try ReportMutation.edited(.trusteeGenoaV3) { $0[0x188] = 0x1A; $0[0x189] = 0x50 }  // Venice
        let report = try AttestationReport(bytes: bytes, generationHint: .turin)
        #expect(report.generation == nil)
        #expect(report.reportedTCB.fmc == nil)
        #expect(report.cpuidFamilyID == 0x1A && report.cpuidModelID == 0x50)
    }

    @Test func version3TurinCPUIDUsesTurinLayout() throws {
        let bytes = try ReportMutation.edited(.trusteeGenoaV3) { bytes in
            bytes[0x188] = 0x1A
            bytes[0x189] = 0x02
            ReportMutation.setLittleEndian(UInt64(0x0900_0000_0403_0201), at: 0x180, in: &bytes)
        }
        let report = try AttestationReport(bytes: bytes)
        #expect(report.generation == .turin)
        #expect(report.reportedTCB.fmc == 1)
        #expect(report.reportedTCB.bootLoader == 2)
        #expect(report.reportedTCB.tee == 3)
        #expect(report.reportedTCB.snp == 4)
        #expect(report.reportedTCB.microcode == 9)
        #expect(report.serializedBytes() == bytes)
    }
}
