import CanonicalJSON
import KeyBrokerProtocol
import SNPABI
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
        #expect(evidence.reportBytes == (try Fixture.bytes("snp/e2e-report-v3-genoa.reconstructed.bin")))
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
        #expect(decoded.reportBytes == bytes)
        #expect(try JSONParser.parse(text)["cert_chain"] == .null)
    }

    /// The JSON members carry SNPABI's field values for go-sev-guest's Milan v2 report
    /// (`/work/shared/fixtures/snp/README.md` §1): a version-2 report with a full CHIP_ID has the
    /// legacy TCB layout, so `fmc` is null.
    @Test func goSevGuestReportMembers() throws {
        let evidence = try SNPEvidence(reportBytes: Fixture.bytes("snp/go-sev-guest-attestation.bin"), certChain: nil)
        let report = evidence.attestationReport
        #expect(report.generation == nil && report.tcbLayout == .legacy)
        let json = try require(evidence.json()["attestation_report"], "attestation_report")
        #expect(json["version"] == 2 && json["guest_svn"] == 0 && json["policy"] == 0xB0000 && json["vmpl"] == 0)
        #expect(json["plat_info"] == 1 && json["key_info"] == 0)
        #expect(json["report_data"] == .array(([1, 2, 3, 4, 5] + [UInt8](repeating: 0, count: 59)).map { .integer(Int64($0)) }))
        #expect(json["report_id_ma"] == .array([JSONValue](repeating: 255, count: 32)))
        let tcb: JSONValue = ["fmc": nil, "bootloader": 2, "tee": 0, "snp": 5, "microcode": 68]
        #expect(["current_tcb", "reported_tcb", "committed_tcb", "launch_tcb"].map { json[$0] } == [tcb, tcb, tcb, tcb])
        #expect(json["current"] == ["major": 1, "minor": 49, "build": 3])
        #expect(json["cpuid_fam_id"] == .null && json["cpuid_mod_id"] == .null && json["cpuid_step"] == .null)
        #expect(json["launch_mit_vector"] == .null && json["current_mit_vector"] == .null)
        #expect(report.measurement.hex == "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01")
    }

    /// The e2e report's members as Trustee's JSON states them, from SNPABI's parse of the bytes.
    @Test func e2eReportMembers() throws {
        let evidence = try SNPEvidence(reportBytes: Fixture.bytes("snp/e2e-report-v3-genoa.reconstructed.bin"), certChain: nil)
        #expect(evidence.attestationReport.generation == .genoa)
        let json = try require(evidence.json()["attestation_report"], "attestation_report")
        #expect(json["version"] == 3 && json["policy"] == 196_608 && json["sig_algo"] == 1 && json["plat_info"] == 37)
        #expect([json["cpuid_fam_id"], json["cpuid_mod_id"], json["cpuid_step"]] == [0x19, 0xA0, 2])
        #expect(json["reported_tcb"] == ["fmc": nil, "bootloader": 10, "tee": 0, "snp": 23, "microcode": 25])
        #expect(json["current"] == ["major": 1, "minor": 55, "build": 40])
        #expect(json["signature"]?["r"]?.arrayValue?.suffix(24) == ArraySlice([JSONValue](repeating: 0, count: 24)))
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
