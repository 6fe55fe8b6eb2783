import CanonicalJSON
import KeyBrokerProtocol
import SNPABI
import Testing

/// Reports and evidence JSON that must not convert, with the error naming offset or member. The
/// bytes are checked by SNPABI's parser (the one report codec); the evidence adds only what its
/// JSON form needs: a decided TCB layout and TCB_VERSIONs without reserved bytes.
@Suite struct SNPEvidenceHostileTests {
    static func e2eBytes() throws -> [UInt8] { try Fixture.bytes("snp/e2e-report-v3-genoa.reconstructed.bin") }

    @Test(arguments: [0, 1183, 1185])
    func rejectsWrongSizes(size: Int) {
        #expect(throws: SNPEvidenceError.report(.wrongSize(actual: size))) {
            try SNPEvidence(reportBytes: [UInt8](repeating: 0, count: size), certChain: nil)
        }
    }

    /// Version 4 too: SNPABI accepts 2, 3 and 5 (no version-4 vector or layout text exists).
    @Test(arguments: [0, 1, 4, 6, 0x0100_0003] as [UInt32])
    func rejectsUnknownVersions(version: UInt32) throws {
        var bytes = try Self.e2eBytes()
        for index in 0..<4 { bytes[index] = UInt8(truncatingIfNeeded: version >> (8 * UInt32(index))) }
        #expect(throws: SNPEvidenceError.report(.unsupportedVersion(version))) { try SNPEvidence(reportBytes: bytes, certChain: nil) }
    }

    /// Every reserved range of a v3 report, first and last byte of each (SNPABI's ranges).
    @Test(arguments: [
        (0x04C, 0x04C..<0x050), (0x04F, 0x04C..<0x050), (0x18B, 0x18B..<0x1A0), (0x19F, 0x18B..<0x1A0),
        (0x1EB, 0x1EB..<0x1EC), (0x1EF, 0x1EF..<0x1F0), (0x1F8, 0x1F8..<0x2A0), (0x29F, 0x1F8..<0x2A0),
        (0x330, 0x330..<0x4A0), (0x49F, 0x330..<0x4A0),
    ] as [(Int, Range<Int>)])
    func rejectsNonZeroReservedBytes(flipped: Int, range: Range<Int>) throws {
        var bytes = try Self.e2eBytes()
        bytes[flipped] = 0x01
        #expect(throws: SNPEvidenceError.report(.reservedNonZero(range: range, bytes: Array(bytes[range])))) {
            try SNPEvidence(reportBytes: bytes, certChain: nil)
        }
    }

    /// The unused bytes of the legacy TCB layout [bootloader, tee, 0,0,0,0, snp, microcode] have no
    /// JSON member: a report that sets them has no evidence form.
    @Test(arguments: [(0x03A, "current_tcb"), (0x03D, "current_tcb"), (0x182, "reported_tcb"), (0x1E2, "committed_tcb"), (0x1F5, "launch_tcb")])
    func rejectsReservedTCBBytes(flipped: Int, member: String) throws {
        var bytes = try Self.e2eBytes()
        bytes[flipped] = 0x01
        let offset = flipped & ~7
        let value = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
        #expect(throws: SNPEvidenceError.reservedTCBBytes(field: member, value: value)) {
            try SNPEvidence(reportBytes: bytes, certChain: nil)
        }
    }

    @Test func version2ReservesTheCPUIDBytes() throws {
        var bytes = try Fixture.bytes("snp/test-report.bin")
        bytes[0x188] = 0x19
        var expected = [UInt8](repeating: 0, count: 24)
        expected[0] = 0x19
        #expect(throws: SNPEvidenceError.report(.reservedNonZero(range: 0x188..<0x1A0, bytes: expected))) {
            try SNPEvidence(reportBytes: bytes, certChain: nil)
        }
    }

    /// SNPABI's rule: a masked CHIP_ID leaves a version-2 report's TCB layout undecided (the
    /// parser falls back to decoding it as legacy); the evidence JSON needs it decided.
    @Test func version2NeedsAnUnmaskedChipID() throws {
        var bytes = try Fixture.bytes("snp/test-report.bin")
        for offset in 0x1A0..<0x1E0 { bytes[offset] = 0 }
        let report = try AttestationReport(bytes: bytes)
        #expect(report.generation == nil && report.tcbLayout == nil)
        #expect(throws: SNPEvidenceError.maskedChipID) { try SNPEvidence(reportBytes: bytes, certChain: nil) }
        #expect(throws: SNPEvidenceError.maskedChipID) { try SNPEvidence(attestationReport: report, certChain: nil) }
    }

    @Test(arguments: [(0x17, 0xA0), (0x19, 0x20), (0x19, 0xB0), (0x1A, 0x12), (0x1B, 0x00)] as [(UInt8, UInt8)])
    func rejectsUnknownCPUs(family: UInt8, model: UInt8) throws {
        var bytes = try Self.e2eBytes()
        bytes[0x188] = family
        bytes[0x189] = model
        #expect(try AttestationReport(bytes: bytes).tcbLayout == nil)
        #expect(throws: SNPEvidenceError.unknownCPU(family: family, model: model)) {
            try SNPEvidence(reportBytes: bytes, certChain: nil)
        }
    }

    /// A synthetic Turin v5 report: Turin TCB layout `[fmc, bootloader, tee, snp, 0,0,0, microcode]`,
    /// mitigation vectors at 0x1F8/0x200, reserved 0x208..<0x2A0.
    static func turinV5Bytes() throws -> [UInt8] {
        var bytes = try e2eBytes()
        bytes[0] = 5
        bytes[0x188] = 0x1A
        bytes[0x189] = 0x02
        for offset in [0x038, 0x180, 0x1E0, 0x1F0] { bytes.replaceSubrange(offset..<offset + 8, with: [9, 4, 0, 27, 0, 0, 0, 72]) }
        bytes.replaceSubrange(0x1F8..<0x200, with: [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x08])
        bytes[0x200] = 0x03
        return bytes
    }

    @Test func turinVersion5Layout() throws {
        let bytes = try Self.turinV5Bytes()
        let evidence = try SNPEvidence(reportBytes: bytes, certChain: nil)
        let report = evidence.attestationReport
        #expect(report.tcbLayout == .turin)
        #expect(report.launchMitigationVector == 0x0877_6655_4433_2211)
        #expect(report.currentMitigationVector == 3)
        let json = try evidence.json()
        let tcb: JSONValue = ["fmc": 9, "bootloader": 4, "tee": 0, "snp": 27, "microcode": 72]
        #expect(json["attestation_report"]?["launch_tcb"] == tcb)
        #expect(json["attestation_report"]?["reported_tcb"] == tcb)
        #expect(json["attestation_report"]?["launch_mit_vector"] == 0x0877_6655_4433_2211)
        // JSON text → evidence → the same bytes.
        let decoded = try SNPEvidence(json: JSONParser.parse(json.serializedBytes()))
        #expect(decoded.reportBytes == bytes)

        var reserved = bytes
        reserved[0x207] = 1  // current_mit_vector's top byte: data in v5 …
        #expect(throws: Never.self) { try SNPEvidence(reportBytes: reserved, certChain: nil) }
        reserved[0x208] = 1  // … but 0x208 is reserved
        #expect(throws: SNPEvidenceError.report(.reservedNonZero(range: 0x208..<0x2A0, bytes: Array(reserved[0x208..<0x2A0])))) {
            try SNPEvidence(reportBytes: reserved, certChain: nil)
        }
        var turinReserved = bytes
        turinReserved[0x184] = 1
        #expect(throws: SNPEvidenceError.reservedTCBBytes(field: "reported_tcb", value: 0x4800_0001_1b00_0409)) {
            try SNPEvidence(reportBytes: turinReserved, certChain: nil)
        }
        // On Turin the legacy layout's reserved bytes hold tee and snp: no error there.
        #expect(throws: Never.self) { try SNPEvidence(reportBytes: bytes, certChain: nil) }
    }

    /// A u64 JSONValue cannot carry exactly is refused, not rounded.
    @Test func mitigationVectorWithBit63CannotBeEncoded() throws {
        var bytes = try Self.turinV5Bytes()
        bytes[0x1FF] = 0x80
        let evidence = try SNPEvidence(reportBytes: bytes, certChain: nil)
        #expect(evidence.attestationReport.launchMitigationVector == 0x8077_6655_4433_2211)
        #expect(throws: KeyBrokerProtocolError(.serializationFailed, field: "primary_evidence.attestation_report.launch_mit_vector", reason: "")) {
            try CompositeEvidence(snp: evidence)
        }
    }

    /// POLICY bits 63:26 are reserved: SNPABI refuses the report, from bytes and from JSON alike.
    @Test func policyReservedBitsAreRefusedEitherWay() throws {
        var bytes = try Self.e2eBytes()
        bytes[0x00F] = 0x80
        #expect(throws: SNPEvidenceError.report(.reservedBitsSet(offset: 0x008, value: 0x8000_0000_0003_0000, bits: 0x8000_0000_0000_0000))) {
            try SNPEvidence(reportBytes: bytes, certChain: nil)
        }
        guard case .object(var top) = try Fixture.json("snp/e2e-evidence.json"), case .object(var report) = top["attestation_report"] else {
            throw FixtureError(message: "shape")
        }
        report["policy"] = .integer(0x0400_0000 | 0x30000)
        top["attestation_report"] = .object(report)
        #expect(throws: KeyBrokerProtocolError(.invalidEvidence, field: "attestation_report.policy", reason: "")) {
            try SNPEvidence(json: .object(top))
        }
        report["policy"] = 0x10000  // bit 17 (must be one) clear
        report["sig_algo"] = 1
        top["attestation_report"] = .object(report)
        #expect(throws: KeyBrokerProtocolError(.invalidEvidence, field: "attestation_report.policy", reason: "")) {
            try SNPEvidence(json: .object(top))
        }
    }
}
