import CanonicalJSON
import KeyBrokerProtocol
import Testing

/// SNP evidence JSON ⇄ raw report bytes, on real reports.
@Suite struct SNPEvidenceTests {
    static let realReports = [
        "snp/e2e-report-v3-genoa.reconstructed.bin", "snp/test-report.bin", "snp/test-vlek-report.bin",
        "snp/go-sev-guest-attestation.bin",
    ]

    /// Trustee's e2e evidence (sev 6.1.0 shape, no mitigation-vector members) decodes and
    /// re-encodes to exactly the bytes whose signature the VCEK verifies.
    @Test func trusteeE2EEvidenceReencodesToTheSignedReport() throws {
        let evidence = try JSONValueDecoder().decode(SNPEvidence.self, from: Fixture.json("snp/e2e-evidence.json"))
        #expect(try evidence.reportBytes() == Fixture.bytes("snp/e2e-report-v3-genoa.reconstructed.bin"))
        let chain = try require(evidence.certChain, "cert_chain")
        #expect(chain.count == 1)
        #expect(chain[0].certType == .vcek)
        #expect(chain[0].data.count == 1347)
        #expect(chain[0].data.prefix(2) == [0x30, 0x82])  // a DER SEQUENCE
    }

    /// Bytes → JSON gives exactly the sev 7.1.0 serde shape (with `null` mitigation vectors)
    /// that the independent reference emitted for the same report (`protocol-messages.json`).
    @Test func reportBytesGiveTheSev71JSONShape() throws {
        let messages = try Fixture.json("kbs/ours/protocol-messages.json")
        let attestation = try JSONParser.parse(messages.string("attestation_json_shape_only"))
        let expected = try attestation.member("tee-evidence").member("primary_evidence")
        let chain = try JSONValueDecoder().decode(SNPEvidence.self, from: Fixture.json("snp/e2e-evidence.json")).certChain
        let evidence = try SNPEvidence(reportBytes: Fixture.bytes("snp/e2e-report-v3-genoa.reconstructed.bin"), certChain: chain)
        #expect(try JSONValueEncoder().encode(evidence) == expected)
        #expect(try CompositeEvidence(snp: evidence).primaryEvidence == expected)
    }

    /// Every real report survives bytes → JSON text → bytes unchanged.
    @Test(arguments: realReports)
    func realReportsRoundTrip(path: String) throws {
        let bytes = try Fixture.bytes(path)
        let evidence = try SNPEvidence(reportBytes: bytes, certChain: nil)
        let text = try JSONValueEncoder().encode(evidence).serializedBytes()
        let decoded = try JSONValueDecoder().decode(SNPEvidence.self, from: JSONParser.parse(text))
        #expect(decoded == evidence)
        #expect(try decoded.reportBytes() == bytes)
        #expect(try JSONParser.parse(text)["cert_chain"] == .null)
    }

    /// Field offsets against the facts go-sev-guest's tests assert for its Milan v2 report
    /// (`/work/shared/fixtures/snp/README.md` §1).
    @Test func goSevGuestReportFields() throws {
        let report = try SNPEvidence(reportBytes: Fixture.bytes("snp/go-sev-guest-attestation.bin"), certChain: nil).attestationReport
        #expect(report.version == 2)
        #expect(report.guestSVN == 0)
        #expect(report.policy == 0xB0000)
        #expect(report.vmpl == 0)
        #expect(report.platformInfo == 1)
        #expect(report.keyInfo == 0)
        #expect(report.reportData == [1, 2, 3, 4, 5] + [UInt8](repeating: 0, count: 59))
        #expect(report.measurement.hex == "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01")
        #expect(report.reportID.hex == "8edc638e1857c555d21f6b11bda3c8b1b5a09dba4852b4c8ee7aa2f16f22cc0a")
        #expect(report.reportIDMA == [UInt8](repeating: 0xFF, count: 32))
        #expect(report.chipID.hex.hasPrefix("3ac3fe21e13fb0990eb28a802e3fb6a2"))
        let tcb = SNPEvidence.TCB(fmc: nil, bootloader: 2, tee: 0, snp: 5, microcode: 68)
        #expect([report.currentTCB, report.reportedTCB, report.committedTCB, report.launchTCB] == [tcb, tcb, tcb, tcb])
        #expect(report.current == SNPEvidence.FirmwareVersion(major: 1, minor: 49, build: 3))
        #expect(report.cpuidFamID == nil && report.cpuidModID == nil && report.cpuidStep == nil)
        #expect(report.launchMitVector == nil && report.currentMitVector == nil)
    }

    /// The e2e report's fields as Trustee's JSON states them, read from the bytes.
    @Test func e2eReportFields() throws {
        let report = try SNPEvidence(
            reportBytes: Fixture.bytes("snp/e2e-report-v3-genoa.reconstructed.bin"), certChain: nil
        ).attestationReport
        #expect(report.version == 3)
        #expect(report.policy == 196_608)
        #expect(report.sigAlgo == 1)
        #expect(report.platformInfo == 37)
        #expect([report.cpuidFamID, report.cpuidModID, report.cpuidStep] == [0x19, 0xA0, 2])
        #expect(report.reportedTCB == SNPEvidence.TCB(fmc: nil, bootloader: 10, tee: 0, snp: 23, microcode: 25))
        #expect(report.current == SNPEvidence.FirmwareVersion(major: 1, minor: 55, build: 40))
        #expect(report.signature.r.suffix(24) == [UInt8](repeating: 0, count: 24))
    }

    /// sev ≤ 6.2 omitted the mitigation vectors; sev ≥ 6.3 writes null. Both mean nil.
    @Test func absentAndNullOptionalMembersAreEquivalent() throws {
        let json = try Fixture.json("snp/e2e-evidence.json")
        guard case .object(var top) = json, case .object(var report) = top["attestation_report"] else {
            throw FixtureError(message: "shape")
        }
        report["launch_mit_vector"] = .null
        report["current_mit_vector"] = .null
        top["attestation_report"] = .object(report)
        let withNulls = try JSONValueDecoder().decode(SNPEvidence.self, from: .object(top))
        let without = try JSONValueDecoder().decode(SNPEvidence.self, from: json)
        #expect(withNulls == without)
    }

    @Test func certTypesUseSevSpellings() throws {
        let entries: JSONValue = [
            ["cert_type": "ARK", "data": [1]], ["cert_type": "ASK", "data": []], ["cert_type": "VLEK", "data": [2, 3]],
            ["cert_type": "CRL", "data": []], ["cert_type": "Empty", "data": []],
            ["cert_type": ["OTHER": "0123ABCD-4567-89ab-cdef-0123456789AB"], "data": [255]],
        ]
        let decoded = try JSONValueDecoder().decode([SNPEvidence.CertTableEntry].self, from: entries)
        #expect(decoded.map(\.certType) == [.ark, .ask, .vlek, .crl, .empty, .other(guid: "0123abcd-4567-89ab-cdef-0123456789ab")])
        let reencoded = try JSONValueEncoder().encode(decoded)
        #expect(reencoded[5]?["cert_type"] == ["OTHER": "0123abcd-4567-89ab-cdef-0123456789ab"])
        #expect(SNPEvidence.CertType(guid: "63DA758D-E664-4564-ADC5-F4B93BE8ACCD") == .vcek)
        #expect(SNPEvidence.CertType.vlek.guid == "a8074bc2-a25a-483e-aae6-39c045a0b8a1")
        #expect(SNPEvidence.CertType(guid: "not-a-guid") == nil)
    }
}

extension JSONValue {
    subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}
