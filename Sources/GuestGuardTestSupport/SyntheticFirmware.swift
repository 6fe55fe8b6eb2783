import SNPABI

/// A firmware image with an OVMF-style GUIDed footer table and SEV metadata, built from parts, for
/// launch-measurement tests: a stand-in Coconut-SVSM binary, and well-formed images that tests then
/// damage at the offsets this type reports. Layout as edk2 `OvmfPkg/ResetVector` lays it out: the
/// table ends 32 bytes before the end of the image, entries are `data | UINT16 size | EFI_GUID`.
public struct SyntheticFirmware: Sendable {
    public static let footerGUID = "96b582de-1fb2-45f7-baea-a366c55a082d"
    public static let metadataGUID = "dc886566-984a-4798-a75e-5585a7bf67cc"
    public static let resetBlockGUID = "00f771de-1a7e-4fcb-890e-68c77e2fb44e"
    public static let hashTableGUID = "7255371f-3a3b-4b04-927b-1da6efa8d454"
    public static let svsmInfoGUID = "a789a612-0597-4c4b-a49f-cbb1fe9d1ddd"

    /// Image size in bytes.
    public var size: Int
    /// Footer-table entries (GUID text, data), the first nearest the footer.
    public var entries: [(guid: String, data: [UInt8])]
    /// Where the `ASEV` header goes (distance from the end); nil for no metadata.
    public var metadataOffsetFromEnd: Int?
    /// `(gpa, size, type)` descriptors.
    public var sections: [(gpa: UInt32, size: UInt32, type: UInt32)]

    public init(size: Int, entries: [(guid: String, data: [UInt8])], metadataOffsetFromEnd: Int? = nil, sections: [(gpa: UInt32, size: UInt32, type: UInt32)] = []) {
        self.size = size
        self.entries = entries
        self.metadataOffsetFromEnd = metadataOffsetFromEnd
        self.sections = sections
    }

    /// Offset of the footer entry's UINT16 size (the table's last 18 bytes start here).
    public var footerOffset: Int { size - 32 - 18 }
    /// Offset of the `ASEV` signature.
    public var metadataOffset: Int? { metadataOffsetFromEnd.map { size - $0 } }

    /// Offset of the header (UINT16 size) of entry `index` of the table as written.
    public func entryHeaderOffset(_ index: Int) -> Int {
        var end = footerOffset
        for entry in allEntries.prefix(index) { end -= entry.data.count + 18 }
        return end - 18
    }

    var allEntries: [(guid: String, data: [UInt8])] {
        entries + (metadataOffsetFromEnd.map { [(Self.metadataGUID, Self.le32(UInt32($0)))] } ?? [])
    }

    /// The image: a deterministic non-zero pattern, the metadata and the table.
    public func bytes() -> [UInt8] {
        var image = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        if let start = metadataOffset {
            var metadata = Array("ASEV".utf8) + Self.le32(UInt32(16 + 12 * sections.count)) + Self.le32(1) + Self.le32(UInt32(sections.count))
            for section in sections { metadata += Self.le32(section.gpa) + Self.le32(section.size) + Self.le32(section.type) }
            image.replaceSubrange(start..<(start + metadata.count), with: metadata)
        }
        var table: [UInt8] = []
        for entry in allEntries {
            table = entry.data + Self.le16(UInt16(entry.data.count + 18)) + Self.efiBytes(entry.guid) + table
        }
        table += Self.le16(UInt16(table.count + 18)) + Self.efiBytes(Self.footerGUID)
        let end = size - 32
        image.replaceSubrange((end - table.count)..<end, with: table)
        return image
    }

    /// A GUID's bytes in EFI order (first three groups little-endian).
    public static func efiBytes(_ text: String) -> [UInt8] {
        let b = GUID(string: text)!.bytes
        return [b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6]] + b[8..<16]
    }

    public static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    public static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    /// A Coconut-SVSM stand-in: 64 KiB with `SVSM_INFO_GUID` (entry point 0x2000) and metadata with
    /// SEC_MEM, SECRETS, CPUID and SVSM_CAA sections.
    public static let svsm = SyntheticFirmware(
        size: 0x10000, entries: [(svsmInfoGUID, le32(0x2000) + [UInt8](repeating: 0, count: 12))], metadataOffsetFromEnd: 0x1000,
        sections: [(0x80_0000, 0x3000, 1), (0x80_3000, 0x1000, 2), (0x80_4000, 0x1000, 3), (0x80_5000, 0x2000, 4)])

    /// An AmdSev-like OVMF: 16 KiB, reset block, hash table at 0x80_6000 + 0x20, and every SNP
    /// section including SNP_KERNEL_HASHES.
    public static let amdSevLike = SyntheticFirmware(
        size: 0x4000,
        entries: [(resetBlockGUID, le32(0xFFFF_C000) + le32(0)), (hashTableGUID, le32(0x80_6020) + le32(0x400))],
        metadataOffsetFromEnd: 0x800,
        sections: [(0x80_0000, 0x3000, 1), (0x80_3000, 0x1000, 2), (0x80_4000, 0x1000, 3), (0x80_6000, 0x1000, 0x10)])
}
