import SNPABI

/// The SNP attestation report (`AttestationReport(bytes:)`, 0x4A0 bytes) and the GHCB certificate
/// table (`CertificateTable(bytes:)`): the hypervisor controls the table outright and, for a
/// broker, the report arrives over the network.
enum SNPABITargets {
    static let report = FuzzTarget(name: "report", summary: "SNP attestation report parser (SNPABI)") { input in
        checkReport(input)
        // Most mutated inputs miss the exact size; also try the input cut or zero-padded to 0x4A0
        // so the fuzzer spends its time past the size check.
        if input.count != AttestationReport.byteCount { checkReport(resizedToReport(input)) }
    }

    static let certificateTable = FuzzTarget(name: "certtable", summary: "GHCB certificate table parser (SNPABI)") { input in
        checkCertificateTable(input)
    }

    static func resizedToReport(_ input: [UInt8]) -> [UInt8] {
        var resized = Array(input.prefix(AttestationReport.byteCount))
        resized += [UInt8](repeating: 0, count: AttestationReport.byteCount - resized.count)
        return resized
    }

    /// A parsed report keeps its bytes, re-serializes byte for byte, and parses the same with a hint.
    static func checkReport(_ bytes: [UInt8]) {
        let report: AttestationReport
        do { report = try AttestationReport(bytes: bytes) } catch {
            _ = "\(error)"
            return
        }
        fuzzCheck(report.bytes == bytes, "report bytes differ from input")
        fuzzCheck(report.serializedBytes() == bytes, "serializedBytes() differs from input")
        fuzzCheck(report.signedBytes.count == AttestationReport.signedByteCount, "signedBytes size")
        fuzzCheck([2, 3, 5].contains(report.version), "accepted version \(report.version)")
        for hint in ProcessorGeneration.allCases {
            switch Result(catching: { () throws(ReportParseError) in try AttestationReport(bytes: bytes, generationHint: hint) }) {
            case let .success(hinted):
                fuzzCheck(hinted.bytes == bytes && hinted.measurement == report.measurement, "hint changed the fields")
                fuzzCheck(report.version >= 3 && report.generation != nil ? hinted.generation == report.generation : true,
                          "hint overrode the reported generation")
            case let .failure(error):
                guard case .generationMismatch = error else { fatalError("fuzz invariant: hint changed parse result: \(error)") }
            }
        }
        _ = report.reportedTCB.description
        _ = report.currentTCB.description
    }

    /// A parsed table's entries point at their blobs and survive serialize → parse.
    static func checkCertificateTable(_ bytes: [UInt8]) {
        let table: CertificateTable
        do { table = try CertificateTable(bytes: bytes) } catch {
            _ = "\(error)"
            return
        }
        for entry in table.entries {
            let start = Int(entry.offset)
            fuzzCheck(start + Int(entry.length) <= bytes.count, "entry past the end")
            fuzzCheck(Array(bytes[start..<(start + Int(entry.length))]) == entry.data, "entry data is not input[offset..<offset+length]")
            fuzzCheck(start >= (table.entries.count + 1) * CertificateTable.entryByteCount, "entry data overlaps the table")
        }
        let rebuilt = CertificateTable.serialize(table.entries.map { ($0.guid, $0.data) })
        guard let reparsed = try? CertificateTable(bytes: rebuilt) else { fatalError("fuzz invariant: re-serialized table does not parse") }
        fuzzCheck(reparsed.entries.map(\.guid) == table.entries.map(\.guid), "GUIDs changed in the round trip")
        fuzzCheck(reparsed.entries.map(\.data) == table.entries.map(\.data), "data changed in the round trip")
    }
}
