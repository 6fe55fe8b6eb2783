/// The extended-report certificate table: the configfs-tsm `auxblob` or the SNP_GET_EXT_REPORT
/// certificate buffer (GHCB #56421 §4.1.8.1; `docs/snp-abi.md` §4.4).
///
/// Layout: 24-byte entries `{GUID (16, RFC 4122 order), offset (u32 LE), length (u32 LE)}`
/// terminated by an all-zero entry, followed by the blobs. Offsets are from the start of the
/// buffer, so each blob lies after the table. A zero-length or all-zero buffer is the empty table
/// (the host supplied no certificates).
public struct CertificateTable: Sendable, Hashable {
    /// Size of one table entry.
    public static let entryByteCount = 24

    /// One table entry with its blob.
    public struct Entry: Sendable, Hashable {
        /// The entry GUID.
        public let guid: GUID
        /// Blob offset from the start of the buffer.
        public let offset: UInt32
        /// Blob length.
        public let length: UInt32
        /// The kind ``guid`` names.
        public var kind: CertificateKind { CertificateKind(guid: guid) }
        /// The blob (usually a DER certificate).
        public let data: [UInt8]
    }

    /// The entries in table order.
    public let entries: [Entry]

    /// Parses and validates a certificate table.
    ///
    /// Rejects a buffer that ends inside an entry or before the terminator, a terminator-like
    /// entry (zero GUID) with non-zero fields, an offset inside the table, a blob past the end of
    /// the buffer (computed without 32-bit overflow), and a repeated GUID. Bytes after the last
    /// blob are allowed (the kernel's buffer is page-sized).
    public init(bytes input: some Collection<UInt8>) throws(CertificateTableError) {
        let bytes = Array(input)
        if bytes.allSatisfy({ $0 == 0 }) {
            entries = []
            return
        }
        var reader = ByteReader(bytes)
        var headers: [(guid: GUID, offset: UInt32, length: UInt32)] = []
        while true {
            let index = headers.count
            if reader.readableBytes == 0 { throw .missingTerminator(entryCount: index) }
            guard let header = try? Self.readHeader(&reader) else {
                throw .truncatedEntry(index: index, available: reader.readableBytes)
            }
            if header.guid.isZero {
                guard header.offset == 0, header.length == 0 else {
                    throw .malformedTerminator(index: index, offset: header.offset, length: header.length)
                }
                break
            }
            headers.append(header)
        }
        let tableSize = (headers.count + 1) * Self.entryByteCount
        var parsed: [Entry] = []
        for (index, header) in headers.enumerated() {
            if let firstIndex = headers[..<index].firstIndex(where: { $0.guid == header.guid }) {
                throw .duplicateGUID(index: index, guid: header.guid, firstIndex: firstIndex)
            }
            guard Int(header.offset) >= tableSize else {
                throw .offsetInsideTable(index: index, offset: header.offset, tableSize: tableSize)
            }
            let end = UInt64(header.offset) + UInt64(header.length)
            guard end <= UInt64(UInt32.max), end <= UInt64(bytes.count) else {
                throw .blobOutOfBounds(index: index, offset: header.offset, length: header.length, bufferSize: bytes.count)
            }
            let data = Array(bytes[Int(header.offset)..<Int(end)])
            parsed.append(Entry(guid: header.guid, offset: header.offset, length: header.length, data: data))
        }
        entries = parsed
    }

    private static func readHeader(_ reader: inout ByteReader) throws(ByteReaderError) -> (guid: GUID, offset: UInt32, length: UInt32) {
        guard reader.readableBytes >= entryByteCount else {
            throw .outOfBounds(offset: reader.readerIndex, needed: entryByteCount, available: reader.readableBytes)
        }
        let guidBytes = try reader.readBytes(16)
        let offset = try reader.readLittleEndian(UInt32.self)
        let length = try reader.readLittleEndian(UInt32.self)
        guard let guid = GUID(bytes: guidBytes) else { preconditionFailure("16 bytes make a GUID") }
        return (guid, offset, length)
    }

    /// The blob of the first entry of `kind`, or nil.
    public func certificate(_ kind: CertificateKind) -> [UInt8]? {
        entries.first { $0.kind == kind }?.data
    }

    /// The blob of the entry with `guid`, or nil.
    public func certificate(guid: GUID) -> [UInt8]? {
        entries.first { $0.guid == guid }?.data
    }

    /// Encodes a table: the entries in order, the all-zero terminator, then the blobs
    /// back to back in the same order.
    /// - Precondition: the result fits the 32-bit offsets (callers build tables of a few KiB).
    public static func serialize(_ items: [(GUID, [UInt8])]) -> [UInt8] {
        let tableSize = (items.count + 1) * entryByteCount
        let total = tableSize + items.reduce(0) { $0 + $1.1.count }
        precondition(total <= Int(UInt32.max), "certificate table of \(total) bytes does not fit 32-bit offsets")
        var writer = ByteWriter(count: total)
        var blobOffset = tableSize
        for (index, (guid, data)) in items.enumerated() {
            let entryOffset = index * entryByteCount
            writer.put(guid.bytes, at: entryOffset)
            writer.put(UInt32(blobOffset), at: entryOffset + 16)
            writer.put(UInt32(data.count), at: entryOffset + 20)
            writer.put(data, at: blobOffset)
            blobOffset += data.count
        }
        return writer.bytes
    }
}
