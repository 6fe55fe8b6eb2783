/// A GHCB certificate table (GHCB #56421 §4.1.8.1, docs/snp-abi.md §4.4) as a host supplies it:
/// 24-byte entries `{ GUID, offset u32 LE, length u32 LE }`, an all-zero terminator, then the
/// blobs, each offset counted from the start of the table.
public enum SyntheticCertificateTable {
    /// VCEK entry GUID 63da758d-e664-4564-adc5-f4b93be8accd (RFC 4122 byte order).
    public static let vcekGUID: [UInt8] = [0x63, 0xDA, 0x75, 0x8D, 0xE6, 0x64, 0x45, 0x64,
                                           0xAD, 0xC5, 0xF4, 0xB9, 0x3B, 0xE8, 0xAC, 0xCD]
    /// ASK entry GUID 4ab7b379-bbac-4fe4-a02f-05aef327c782.
    public static let askGUID: [UInt8] = [0x4A, 0xB7, 0xB3, 0x79, 0xBB, 0xAC, 0x4F, 0xE4,
                                          0xA0, 0x2F, 0x05, 0xAE, 0xF3, 0x27, 0xC7, 0x82]

    /// The table for `entries`, blobs in order right after the terminator.
    public static func bytes(_ entries: [(guid: [UInt8], blob: [UInt8])]) -> [UInt8] {
        var table: [UInt8] = []
        var blobs: [UInt8] = []
        var offset = (entries.count + 1) * 24
        for entry in entries {
            table += entry.guid
            table += littleEndian(UInt32(offset)) + littleEndian(UInt32(entry.blob.count))
            blobs += entry.blob
            offset += entry.blob.count
        }
        table += [UInt8](repeating: 0, count: 24)
        return table + blobs
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> UInt32(8 * $0)) } }
}
