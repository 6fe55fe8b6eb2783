import GuestGuardPlatform

/// The extent of a GHCB certificate table (GHCB #56421 §4.1.8.1; docs/snp-abi.md §4.4): 24-byte
/// entries `{ GUID (16), offset (u32 LE), length (u32 LE) }` up to an all-zero entry, each
/// `offset` counted from the start of the buffer.
///
/// Only the extent is computed here (the parse belongs to SNPABI): the driver returns the whole
/// certificate buffer, and cutting it the way `sev_report_new()` cuts configfs-tsm's `auxblob`
/// makes both interfaces return the same bytes.
enum GHCBCertificateTable {
    static let entryByteCount = 24

    /// max(offset + length) over the entries before the terminator; 0 for an empty table.
    static func extent(of buffer: [UInt8]) -> Int {
        var extent = 0
        var start = 0
        while start + entryByteCount <= buffer.count {
            let entry = buffer[start..<start + entryByteCount]
            if entry.allSatisfy({ $0 == 0 }) { break }
            let offset = littleEndianUInt32(buffer, at: start + 16)
            let length = littleEndianUInt32(buffer, at: start + 20)
            extent = max(extent, Int(offset) + Int(length))
            start += entryByteCount
        }
        return extent
    }

    /// The buffer cut to the table's extent, or nil when the host supplied no certificates.
    /// An extent past the buffer keeps the whole buffer (the verifier reports the truncation).
    static func trimmed(_ buffer: [UInt8]) -> [UInt8]? {
        let extent = extent(of: buffer)
        guard extent > 0 else { return nil }
        return Array(buffer.prefix(extent))
    }
}
