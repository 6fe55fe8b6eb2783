/// A cursor over a TPM structure: big-endian integers and TPM2B (UINT16 size + bytes) fields
/// (TPM 2.0 Part 1, §10 "Marshaling"). Errors carry the structure and the offset.
struct TPMReader {
    let bytes: [UInt8]
    let structure: String
    private(set) var offset = 0

    init(_ bytes: [UInt8], structure: String) {
        self.bytes = bytes
        self.structure = structure
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func read<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type, _ field: String) throws(TPMEvidenceError) -> T {
        let width = MemoryLayout<T>.size
        guard bytes.count - offset >= width else { throw .truncated(structure: structure, field: field, offset: offset) }
        var value: T = 0
        for byte in bytes[offset..<(offset + width)] { value = value << 8 | T(byte) }
        offset += width
        return value
    }

    mutating func readBytes(_ count: Int, _ field: String) throws(TPMEvidenceError) -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw .truncated(structure: structure, field: field, offset: offset) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// A TPM2B: UINT16 size, then that many bytes (at most `maximum`).
    mutating func readSized(_ field: String, maximum: Int) throws(TPMEvidenceError) -> [UInt8] {
        let start = offset
        let size = Int(try read(UInt16.self, field))
        guard size <= maximum else { throw .fieldTooLarge(structure: structure, field: field, offset: start, size: size, maximum: maximum) }
        return try readBytes(size, field)
    }

    func expectEnd() throws(TPMEvidenceError) {
        guard isAtEnd else { throw .trailingBytes(structure: structure, count: bytes.count - offset) }
    }
}
