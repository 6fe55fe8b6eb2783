/// OVMF's GUIDed footer table (edk2 `OvmfPkg/ResetVector/Ia16/ResetVectorVtf0.asm`,
/// `guidedStructureStart` … `guidedStructureEnd`), which QEMU reads in `pc_system_parse_ovmf_flash`.
///
/// The table ends 32 bytes before the end of the image (just below the reset vector at
/// 0xFFFFFFF0). It is read backwards; each entry is `data | UINT16 size | EFI_GUID`, where
/// `size` counts the data and the 18-byte header. The last entry, `OVMF_TABLE_FOOTER_GUID`, gives
/// the size of the whole table in the same way.
public struct FirmwareFooterTable: Sendable, Hashable {
    /// An entry's data and where it starts in the image.
    public struct Entry: Sendable, Hashable {
        public let offset: Int
        public let data: ArraySlice<UInt8>
    }

    /// The entries by GUID; empty when the image has no footer GUID (not an OVMF build with a table).
    public let entries: [FirmwareGUID: Entry]

    static let entryHeaderSize = 18
    static let distanceFromEnd = 32

    /// Parses the table of `image` (named `name` in errors). An image without the footer GUID
    /// yields an empty table, as QEMU treats it; a footer that is present but inconsistent is an error.
    public init(image: [UInt8], name: String) throws(MeasurementError) {
        let headerSize = Self.entryHeaderSize
        let footerStart = image.count - Self.distanceFromEnd - headerSize
        guard footerStart >= 0 else {
            throw .firmwareSize(image: name, byteCount: image.count, reason: "too small to hold the footer GUID table (at least 50 bytes)")
        }
        guard FirmwareGUID(efiBytes: image[(footerStart + 2)..<(footerStart + headerSize)]) == .footer else {
            entries = [:]
            return
        }
        let tableSize = Int(Self.uint16(image, at: footerStart))
        guard tableSize >= headerSize else {
            throw .footerTable(image: name, offset: footerStart, reason: "the footer entry's size \(tableSize) is smaller than its 18-byte header")
        }
        let tableStart = footerStart + headerSize - tableSize
        guard tableStart >= 0 else {
            throw .footerTable(image: name, offset: footerStart, reason: "the table size \(tableSize) reaches before the start of the image")
        }
        var found: [FirmwareGUID: Entry] = [:]
        var end = footerStart  // exclusive end of the unread part of the table
        while end - tableStart >= headerSize {
            let headerStart = end - headerSize
            let size = Int(Self.uint16(image, at: headerStart))
            guard size >= headerSize else {
                throw .footerTable(image: name, offset: headerStart, reason: "entry size \(size) is smaller than its 18-byte header")
            }
            guard end - size >= tableStart else {
                throw .footerTable(image: name, offset: headerStart, reason: "entry size \(size) reaches before the table's start at \(hex(tableStart))")
            }
            let guid = FirmwareGUID(efiBytes: image[(headerStart + 2)..<end])
            guard found[guid] == nil else {
                throw .footerTable(image: name, offset: headerStart, reason: "a second entry for GUID \(guid)")
            }
            found[guid] = Entry(offset: end - size, data: image[(end - size)..<headerStart])
            end -= size
        }
        guard end == tableStart else {
            throw .footerTable(image: name, offset: tableStart, reason: "\(end - tableStart) bytes left over that cannot hold an entry")
        }
        entries = found
    }

    /// The first 4 bytes of an entry's data, little-endian (an address, offset or EIP); nil when
    /// the entry is absent.
    public func uint32(_ guid: FirmwareGUID, name: String, entry label: String) throws(MeasurementError) -> UInt32? {
        guard let entry = entries[guid] else { return nil }
        guard entry.data.count >= 4 else {
            throw .footerTable(image: name, offset: entry.offset, reason: "the \(label) entry has \(entry.data.count) data bytes, fewer than 4")
        }
        return littleEndianUInt32(entry.data, at: entry.data.startIndex)
    }

    static func uint16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }
}

/// The little-endian UINT32 at index `offset` (callers check bounds; slices use their base's indices).
func littleEndianUInt32<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at offset: Int) -> UInt32 where Bytes.Index == Int {
    UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
}
