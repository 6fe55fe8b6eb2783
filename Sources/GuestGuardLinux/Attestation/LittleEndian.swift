/// The little-endian u32 at `offset` (AMD firmware structures are little-endian). The caller
/// guarantees `offset + 4 <= bytes.count`.
func littleEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << UInt32(8 * $1) }
}
