/// Why ``CertificateTable/init(bytes:)`` rejected a buffer. Entry indices count from 0; offsets
/// are from the start of the buffer (GHCB #56421 §4.1.8.1; `docs/snp-abi.md` §4.4).
public enum CertificateTableError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The buffer ends inside entry `index` (24 bytes at `index * 24`); `available` bytes remain.
    case truncatedEntry(index: Int, available: Int)
    /// The buffer ends after `entryCount` complete entries with no all-zero terminator.
    case missingTerminator(entryCount: Int)
    /// Entry `index` has the zero GUID but a non-zero offset or length.
    case malformedTerminator(index: Int, offset: UInt32, length: UInt32)
    /// Entry `index` points inside the table itself (`tableSize` bytes including the terminator).
    case offsetInsideTable(index: Int, offset: UInt32, tableSize: Int)
    /// Entry `index`'s blob `offset..<offset+length` ends past the buffer of `bufferSize` bytes
    /// (or overflows 32 bits).
    case blobOutOfBounds(index: Int, offset: UInt32, length: UInt32, bufferSize: Int)
    /// Entry `index` repeats the GUID of entry `firstIndex`.
    case duplicateGUID(index: Int, guid: GUID, firstIndex: Int)

    public var description: String {
        switch self {
        case let .truncatedEntry(index, available):
            return "certificate table entry \(index) at offset \(hexOffset(index * CertificateTable.entryByteCount)) is cut short: \(available) of 24 bytes"
        case let .missingTerminator(entryCount):
            return "certificate table has \(entryCount) entries and no all-zero terminator entry"
        case let .malformedTerminator(index, offset, length):
            return "certificate table entry \(index) has the zero GUID but offset \(offset) and length \(length)"
        case let .offsetInsideTable(index, offset, tableSize):
            return "certificate table entry \(index) offset \(offset) points inside the \(tableSize)-byte table"
        case let .blobOutOfBounds(index, offset, length, bufferSize):
            return "certificate table entry \(index) blob at offset \(offset) length \(length) exceeds the \(bufferSize)-byte buffer"
        case let .duplicateGUID(index, guid, firstIndex):
            return "certificate table entry \(index) repeats GUID \(guid) of entry \(firstIndex)"
        }
    }
}
