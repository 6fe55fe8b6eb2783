import GuestGuardTestSupport
import SNPMeasure
import Testing

/// The footer GUID table and SEV metadata parsers on real builds and on images damaged one field
/// at a time: each bad input is a typed error naming the image and the offset of the bad field.
@Suite struct FirmwareParsingTests {
    typealias S = SyntheticFirmware

    func parse(_ bytes: [UInt8], name: String = "fw.fd") -> MeasurementError? {
        measurementError { () throws(MeasurementError) in _ = try FirmwareImage(bytes: bytes, name: name) }
    }

    /// `bytes` with `patch` written at `offset`.
    func patched(_ bytes: [UInt8], at offset: Int, _ patch: [UInt8]) -> [UInt8] {
        var copy = bytes
        copy.replaceSubrange(offset..<(offset + patch.count), with: patch)
        return copy
    }

    func expectFooterError(_ error: MeasurementError?, at offset: Int, _ phrase: String) {
        guard case .footerTable(let image, let where_, let reason) = error else {
            Issue.record("expected a footer-table error, got \(String(describing: error))")
            return
        }
        #expect(image == "fw.fd")
        #expect(where_ == offset)
        #expect(reason.contains(phrase), "\(reason)")
        #expect(error!.description.contains("fw.fd") && error!.description.contains("0x" + String(offset, radix: 16, uppercase: true)))
    }

    func expectMetadataError(_ error: MeasurementError?, at offset: Int, _ phrase: String) {
        guard case .sevMetadata(let image, let where_, let reason) = error else {
            Issue.record("expected an SEV metadata error, got \(String(describing: error))")
            return
        }
        #expect(image == "fw.fd")
        #expect(where_ == offset)
        #expect(reason.contains(phrase), "\(reason)")
    }

    @Test func realBuildsParse() throws {
        let amdSev = try FirmwareImage(bytes: try Fixture.bytes("ovmf_AmdSev_suffix.bin"), name: "AmdSev")
        #expect(amdSev.metadata.contains(.snpKernelHashes))
        #expect(try amdSev.sevESResetEIP() != 0)
        #expect(try amdSev.supportsSEVHashTable())
        #expect(amdSev.gpa == 0xFFFF_F000)
        let x64 = try FirmwareImage(bytes: try Fixture.bytes("ovmf_OvmfX64_suffix.bin"), name: "OvmfX64")
        #expect(!x64.metadata.contains(.snpKernelHashes))
        #expect(x64.metadata.contains(.snpSecrets) && x64.metadata.contains(.cpuid) && x64.metadata.contains(.snpSecMem))
    }

    @Test func syntheticImageParses() throws {
        let image = try FirmwareImage(bytes: S.amdSevLike.bytes(), name: "fw.fd")
        #expect(image.metadata.sections.map(\.type) == [.snpSecMem, .snpSecrets, .cpuid, .snpKernelHashes])
        #expect(image.metadata.sections[0].gpa == 0x80_0000 && image.metadata.sections[0].size == 0x3000)
        #expect(try image.sevESResetEIP() == 0xFFFF_C000)
        #expect(try image.sevHashTableGPA() == 0x80_6020)
    }

    @Test func imageWithoutFooterHasNoTable() throws {
        let image = try FirmwareImage(bytes: [UInt8](repeating: 0xAA, count: 0x1000), name: "fw.fd")
        #expect(image.table.entries.isEmpty && image.metadata.sections.isEmpty)
        let error = measurementError { () throws(MeasurementError) in _ = try image.sevESResetEIP() }
        guard case .missingFooterEntry(let name, let entry) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(name == "fw.fd" && entry.contains("SEV_ES_RESET_BLOCK_GUID"))
    }

    @Test func tooSmallForTable() {
        guard case .firmwareSize(let name, let count, _) = parse([UInt8](repeating: 0, count: 40)) else { Issue.record("no size error"); return }
        #expect(name == "fw.fd" && count == 40)
    }

    @Test func footerSizeSmallerThanHeader() {
        let f = S.amdSevLike
        expectFooterError(parse(patched(f.bytes(), at: f.footerOffset, S.le16(10))), at: f.footerOffset, "smaller than its 18-byte header")
    }

    @Test func footerSizeBeyondImageStart() {
        let f = S.amdSevLike
        expectFooterError(parse(patched(f.bytes(), at: f.footerOffset, S.le16(0xFFFF))), at: f.footerOffset, "before the start of the image")
    }

    @Test func entrySizeSmallerThanHeader() {
        let f = S.amdSevLike
        let offset = f.entryHeaderOffset(0)
        expectFooterError(parse(patched(f.bytes(), at: offset, S.le16(5))), at: offset, "smaller than its 18-byte header")
    }

    @Test func entryReachingBeforeTable() {
        let f = S.amdSevLike
        let offset = f.entryHeaderOffset(2)  // the metadata entry, farthest from the footer
        expectFooterError(parse(patched(f.bytes(), at: offset, S.le16(0x300))), at: offset, "reaches before the table's start")
    }

    @Test func duplicateGUID() {
        var f = S.amdSevLike
        f.entries.append((S.resetBlockGUID, S.le32(0x1234)))
        expectFooterError(parse(f.bytes()), at: f.entryHeaderOffset(2), "a second entry for GUID 00f771de-1a7e-4fcb-890e-68c77e2fb44e")
    }

    @Test func leftoverTableBytes() {
        let f = S.amdSevLike
        let bytes = f.bytes()
        let size = Int(bytes[f.footerOffset]) | Int(bytes[f.footerOffset + 1]) << 8
        let tableStart = f.footerOffset + 18 - (size + 5)
        expectFooterError(parse(patched(bytes, at: f.footerOffset, S.le16(UInt16(size + 5)))), at: tableStart, "5 bytes left over")
    }

    @Test func shortEntryData() throws {
        let f = S(size: 0x1000, entries: [(S.resetBlockGUID, [1, 2])])
        let image = try FirmwareImage(bytes: f.bytes(), name: "fw.fd")
        let error = measurementError { () throws(MeasurementError) in _ = try image.sevESResetEIP() }
        expectFooterError(error, at: f.entryHeaderOffset(0) - 2, "fewer than 4")
    }

    @Test func metadataOffsetOutsideImage() {
        let f = S(size: 0x1000, entries: [(S.metadataGUID, S.le32(0x5000))])
        expectMetadataError(parse(f.bytes()), at: 0, "leaves no room")
    }

    @Test func metadataSignature() {
        let f = S.amdSevLike
        expectMetadataError(parse(patched(f.bytes(), at: f.metadataOffset!, Array("XSEV".utf8))), at: f.metadataOffset!, "signature")
    }

    @Test func metadataVersion() {
        let f = S.amdSevLike
        expectMetadataError(parse(patched(f.bytes(), at: f.metadataOffset! + 8, S.le32(2))), at: f.metadataOffset! + 8, "version 2, expected 1")
    }

    @Test func metadataSizeBeyondImage() {
        let f = S.amdSevLike
        expectMetadataError(parse(patched(f.bytes(), at: f.metadataOffset! + 4, S.le32(0x900))), at: f.metadataOffset! + 4, "does not fit")
    }

    @Test func metadataCountBeyondSize() {
        let f = S.amdSevLike
        expectMetadataError(parse(patched(f.bytes(), at: f.metadataOffset! + 12, S.le32(10))), at: f.metadataOffset! + 12, "10 sections do not fit")
    }

    func expectSectionError(_ sections: [(gpa: UInt32, size: UInt32, type: UInt32)], index: Int, _ phrase: String) {
        var f = S.amdSevLike
        f.sections = sections
        guard case .metadataSection(let image, let i, let offset, let reason) = parse(f.bytes()) else {
            Issue.record("expected a section error for \(sections)")
            return
        }
        #expect(image == "fw.fd" && i == index && offset == f.metadataOffset! + 16 + 12 * index)
        #expect(reason.contains(phrase), "\(reason)")
    }

    @Test func unknownSectionType() { expectSectionError([(0x80_0000, 0x1000, 1), (0x80_1000, 0x1000, 7)], index: 1, "unknown section type 0x7") }

    @Test func unalignedSection() { expectSectionError([(0x80_0800, 0x1000, 1)], index: 0, "whole 4 KiB pages") }

    @Test func sectionAbove4GiB() { expectSectionError([(0x80_0000, 0x1000, 2), (0xFFFF_F000, 0x2000, 1)], index: 1, "ends above 4 GiB") }
}
