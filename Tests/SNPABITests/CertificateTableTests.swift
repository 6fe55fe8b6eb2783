import SNPABI
import Testing

@Suite struct CertificateTableTests {
    /// Real AMD DER certificates: Milan ARK and ASK (virtee/sev built-ins) and a Milan VCEK.
    static func realChain() throws -> [(GUID, [UInt8])] {
        [
            (.ark, try Fixture.pemCertificate("virtee-sev/milan_ark.pem")),
            (.ask, try Fixture.pemCertificate("virtee-sev/milan_ask.pem")),
            (.vcek, try Fixture.bytes("virtee-sev/vcek_milan.der")),
        ]
    }

    static func patch(_ bytes: inout [UInt8], entry: Int, offset: UInt32? = nil, length: UInt32? = nil) {
        if let offset { ReportMutation.setLittleEndian(offset, at: entry * 24 + 16, in: &bytes) }
        if let length { ReportMutation.setLittleEndian(length, at: entry * 24 + 20, in: &bytes) }
    }

    @Test func realCertificatesRoundTrip() throws {
        let chain = try Self.realChain()
        #expect(chain.allSatisfy { $0.1.first == 0x30 })  // DER SEQUENCE
        let bytes = CertificateTable.serialize(chain)
        let table = try CertificateTable(bytes: bytes)
        #expect(table.entries.map(\.kind) == [.ark, .ask, .vcek])
        #expect(table.entries.map(\.guid) == chain.map(\.0))
        #expect(table.entries.map(\.data) == chain.map(\.1))
        #expect(table.entries[0].offset == 4 * 24)
        #expect(table.entries[1].offset == UInt32(4 * 24 + chain[0].1.count))
        #expect(table.entries.map(\.length) == chain.map { UInt32($0.1.count) })
        #expect(try table.certificate(.vcek) == Fixture.bytes("virtee-sev/vcek_milan.der"))
        #expect(table.certificate(.vlek) == nil)
        #expect(table.certificate(guid: .ask) == chain[1].1)
        #expect(bytes.count == 4 * 24 + chain.reduce(0) { $0 + $1.1.count })
        // RFC 4122 byte order on the wire (docs/snp-abi.md §4.4): VCEK entry starts 63 da 75 8d e6 64 45 64.
        #expect(bytes[48..<56] == [0x63, 0xDA, 0x75, 0x8D, 0xE6, 0x64, 0x45, 0x64])
        #expect(bytes[72..<96].allSatisfy { $0 == 0 })
    }

    @Test func matchesIndependentPythonEncoding() throws {
        // Fixtures/derived/certtable-milan.bin was written by Python (uuid + struct), not by us.
        let python = try Fixture.bytes("derived/certtable-milan.bin")
        let chain = try Self.realChain()
        #expect(CertificateTable.serialize(chain) == python)
        let table = try CertificateTable(bytes: python)
        #expect(table.entries.map(\.guid) == [.ark, .ask, .vcek])
        #expect(table.entries.map(\.data) == chain.map(\.1))
    }

    @Test func vlekAndUnknownGUIDs() throws {
        let vlek = try Fixture.bytes("trustee/test-vlek.der")
        let table = try CertificateTable(bytes: CertificateTable.serialize([(.vlek, vlek), (.extraPlatformInfo, [1, 2, 3])]))
        #expect(table.entries.map(\.kind) == [.vlek, .other])
        #expect(table.certificate(.vlek) == vlek)
        #expect(table.certificate(.vcek) == nil)
        #expect(table.certificate(guid: .extraPlatformInfo) == [1, 2, 3])
    }

    @Test(arguments: [0, 24, 4096])
    func allZeroBufferIsEmpty(count: Int) throws {
        #expect(try CertificateTable(bytes: [UInt8](repeating: 0, count: count)).entries.isEmpty)
    }

    @Test func serializeEmptyIsJustTheTerminator() throws {
        #expect(CertificateTable.serialize([]) == [UInt8](repeating: 0, count: 24))
    }

    @Test func pagePaddingAfterBlobsIsAccepted() throws {
        let chain = try Self.realChain()
        let bytes = CertificateTable.serialize(chain)
        let padded = bytes + [UInt8](repeating: 0, count: 16384 - bytes.count)
        #expect(try CertificateTable(bytes: padded) == CertificateTable(bytes: bytes))
    }

    @Test func missingTerminatorIsRejected() throws {
        // One entry and nothing else: the buffer ends where the terminator should be.
        let entry = Array(CertificateTable.serialize([(.vcek, [0x30])]).prefix(24))
        #expect(throws: CertificateTableError.missingTerminator(entryCount: 1)) { try CertificateTable(bytes: entry) }
    }

    @Test func tableLargerThanBufferIsRejected() throws {
        let full = CertificateTable.serialize([(.vcek, [0x30]), (.ask, [0x31])])
        #expect(throws: CertificateTableError.truncatedEntry(index: 1, available: 10)) {
            try CertificateTable(bytes: full.prefix(34))
        }
        #expect(throws: CertificateTableError.truncatedEntry(index: 0, available: 5)) {
            try CertificateTable(bytes: [0x63, 0xDA, 0x75, 0x8D, 0xE6])
        }
    }

    @Test func terminatorWithNonZeroFieldsIsRejected() throws {
        var bytes = CertificateTable.serialize([(.vcek, [0x30, 0x00])])
        Self.patch(&bytes, entry: 1, length: 2)
        #expect(throws: CertificateTableError.malformedTerminator(index: 1, offset: 0, length: 2)) {
            try CertificateTable(bytes: bytes)
        }
    }

    @Test(arguments: [UInt32(0), 10, 47])
    func offsetInsideTableIsRejected(offset: UInt32) throws {
        var bytes = CertificateTable.serialize([(.vcek, [0x30, 0x01])])
        Self.patch(&bytes, entry: 0, offset: offset)
        #expect(throws: CertificateTableError.offsetInsideTable(index: 0, offset: offset, tableSize: 48)) {
            try CertificateTable(bytes: bytes)
        }
    }

    @Test(arguments: [
        (UInt32(48), UInt32(3)),  // one past the end
        (51, 0),  // starts past the end, empty
        (48, .max),  // huge length
        (0xFFFF_FFF0, 0x20),  // offset + length overflows 32 bits
        (.max, .max),
    ])
    func blobOutOfBoundsIsRejected(offset: UInt32, length: UInt32) throws {
        var bytes = CertificateTable.serialize([(.vcek, [0x30, 0x01])])
        Self.patch(&bytes, entry: 0, offset: offset, length: length)
        #expect(throws: CertificateTableError.blobOutOfBounds(index: 0, offset: offset, length: length, bufferSize: 50)) {
            try CertificateTable(bytes: bytes)
        }
    }

    @Test func duplicateGUIDIsRejected() throws {
        let bytes = CertificateTable.serialize([(.ark, [1]), (.vcek, [2]), (.vcek, [3])])
        #expect(throws: CertificateTableError.duplicateGUID(index: 2, guid: .vcek, firstIndex: 1)) {
            try CertificateTable(bytes: bytes)
        }
    }

    @Test func errorDescriptionsNameEntryAndValues() {
        let text = CertificateTableError.blobOutOfBounds(index: 2, offset: 96, length: 5000, bufferSize: 4096).description
        #expect(text.contains("entry 2") && text.contains("96") && text.contains("5000") && text.contains("4096"))
        #expect(CertificateTableError.duplicateGUID(index: 1, guid: .vcek, firstIndex: 0).description
            .contains("63da758d-e664-4564-adc5-f4b93be8accd"))
    }
}

@Suite struct GUIDTests {
    @Test(arguments: [
        (GUID.ark, "c0b406a4-a803-4952-9743-3fb6014cd0ae"), (.ask, "4ab7b379-bbac-4fe4-a02f-05aef327c782"),
        (.vcek, "63da758d-e664-4564-adc5-f4b93be8accd"), (.vlek, "a8074bc2-a25a-483e-aae6-39c045a0b8a1"),
        (.crl, "92f81bc3-5811-4d3d-97ff-d19f88dc67ea"),
    ])
    func wellKnownDescriptions(guid: GUID, text: String) {
        #expect(guid.description == text)
        #expect(GUID(string: text.uppercased()) == guid)
        #expect(CertificateKind(guid: guid).guid == guid)
    }

    @Test func bytesAreRFC4122Order() {
        #expect(GUID.vcek.bytes == [0x63, 0xDA, 0x75, 0x8D, 0xE6, 0x64, 0x45, 0x64, 0xAD, 0xC5, 0xF4, 0xB9, 0x3B, 0xE8, 0xAC, 0xCD])
        #expect(GUID(bytes: GUID.vcek.bytes) == .vcek)
        #expect(GUID(bytes: [UInt8](repeating: 0, count: 15)) == nil)
        #expect(GUID.zero.isZero && !GUID.ark.isZero)
    }

    @Test(arguments: [
        "", "63da758d-e664-4564-adc5-f4b93be8acc", "63da758d-e664-4564-adc5-f4b93be8accdd",
        "63da758de-664-4564-adc5-f4b93be8accd", "63da758d-e664-4564-adc5-f4b93be8accg", "63da758d_e664_4564_adc5_f4b93be8accd",
        "{63da758d-e664-4564-adc5-f4b93be8acc}",
    ])
    func malformedStringsAreRejected(text: String) {
        #expect(GUID(string: text) == nil)
    }
}
