import CanonicalJSON
import KeyBrokerProtocol
import Testing

/// Reports and evidence JSON that must not convert, with the error naming offset or field.
@Suite struct SNPEvidenceHostileTests {
    static func e2eBytes() throws -> [UInt8] { try Fixture.bytes("snp/e2e-report-v3-genoa.reconstructed.bin") }

    @Test(arguments: [0, 1183, 1185])
    func rejectsWrongSizes(size: Int) {
        #expect(throws: SNPEvidenceError.wrongSize(actual: size)) {
            try SNPEvidence(reportBytes: [UInt8](repeating: 0, count: size), certChain: nil)
        }
    }

    @Test(arguments: [0, 1, 6, 0x0100_0003] as [UInt32])
    func rejectsUnknownVersions(version: UInt32) throws {
        var bytes = try Self.e2eBytes()
        for index in 0..<4 { bytes[index] = UInt8(truncatingIfNeeded: version >> (8 * UInt32(index))) }
        #expect(throws: SNPEvidenceError.unsupportedVersion(version)) { try SNPEvidence(reportBytes: bytes, certChain: nil) }
    }

    /// Every reserved byte of a v3 report before the signature's end, first and last of each range.
    @Test(arguments: [
        (0x04C, 0x04C, 4), (0x04F, 0x04C, 4), (0x18B, 0x18B, 21), (0x19F, 0x18B, 21), (0x1EB, 0x1EB, 1), (0x1EF, 0x1EF, 1),
        (0x1F8, 0x1F8, 168), (0x29F, 0x1F8, 168),
        // The unused bytes of the legacy TCB layout [bootloader, tee, 0,0,0,0, snp, microcode].
        (0x03A, 0x03A, 4), (0x03D, 0x03A, 4), (0x182, 0x182, 4), (0x1E2, 0x1E2, 4), (0x1F2, 0x1F2, 4),
    ])
    func rejectsNonZeroReservedBytes(flipped: Int, offset: Int, count: Int) throws {
        var bytes = try Self.e2eBytes()
        bytes[flipped] = 0x01
        #expect(throws: SNPEvidenceError.reservedNonZero(offset: offset, count: count)) {
            try SNPEvidence(reportBytes: bytes, certChain: nil)
        }
    }

    @Test func version2ReservesTheCPUIDBytes() throws {
        var bytes = try Fixture.bytes("snp/test-report.bin")
        bytes[0x188] = 0x19
        #expect(throws: SNPEvidenceError.reservedNonZero(offset: 0x188, count: 24)) {
            try SNPEvidence(reportBytes: bytes, certChain: nil)
        }
    }

    /// Like sev, the bytes after the signature are not checked and come back as zeros.
    @Test func bytesAfterTheSignatureAreIgnored() throws {
        let original = try Self.e2eBytes()
        var bytes = original
        bytes[0x330] = 0xAA
        bytes[0x49F] = 0x55
        #expect(try SNPEvidence(reportBytes: bytes, certChain: nil).reportBytes() == original)
    }

    @Test func version2NeedsAnUnmaskedChipID() throws {
        var bytes = try Fixture.bytes("snp/test-report.bin")
        for offset in 0x1A0..<0x1E0 { bytes[offset] = 0 }
        #expect(throws: SNPEvidenceError.maskedChipID) { try SNPEvidence(reportBytes: bytes, certChain: nil) }
    }

    @Test(arguments: [(0x17, 0xA0), (0x19, 0x20), (0x19, 0xB0), (0x1A, 0x12), (0x1B, 0x00)] as [(UInt8, UInt8)])
    func rejectsUnknownCPUs(family: UInt8, model: UInt8) throws {
        var bytes = try Self.e2eBytes()
        bytes[0x188] = family
        bytes[0x189] = model
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
        #expect(report.reportedTCB == SNPEvidence.TCB(fmc: 9, bootloader: 4, tee: 0, snp: 27, microcode: 72))
        #expect(report.launchMitVector == 0x0877_6655_4433_2211)
        #expect(report.currentMitVector == 3)
        #expect(try evidence.reportBytes() == bytes)
        let json = try JSONValueEncoder().encode(evidence)
        #expect(json["attestation_report"]?["launch_tcb"] == ["fmc": 9, "bootloader": 4, "tee": 0, "snp": 27, "microcode": 72])

        var reserved = bytes
        reserved[0x207] = 1  // current_mit_vector's top byte: data in v5 …
        #expect(throws: Never.self) { try SNPEvidence(reportBytes: reserved, certChain: nil) }
        reserved[0x208] = 1  // … but 0x208 is reserved
        #expect(throws: SNPEvidenceError.reservedNonZero(offset: 0x208, count: 152)) {
            try SNPEvidence(reportBytes: reserved, certChain: nil)
        }
        var turinReserved = bytes
        turinReserved[0x184] = 1
        #expect(throws: SNPEvidenceError.reservedNonZero(offset: 0x184, count: 3)) {
            try SNPEvidence(reportBytes: turinReserved, certChain: nil)
        }
    }

    /// A u64 JSONValue cannot carry exactly is refused, not rounded.
    @Test func policyWithBit63CannotBeEncoded() throws {
        var bytes = try Self.e2eBytes()
        bytes[0x00F] = 0x80
        let evidence = try SNPEvidence(reportBytes: bytes, certChain: nil)
        #expect(evidence.attestationReport.policy == 0x8000_0000_0003_0000)
        #expect(throws: KeyBrokerProtocolError(.serializationFailed, field: "primary_evidence.attestation_report.policy", reason: "")) {
            try CompositeEvidence(snp: evidence)
        }
    }
}
