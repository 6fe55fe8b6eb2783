import SNPABI
import Testing

@Suite struct ByteReaderTests {
    @Test func readsLittleEndian() throws {
        var reader = ByteReader([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09])
        #expect(try reader.readLittleEndian(UInt8.self) == 0x01)
        #expect(try reader.readLittleEndian(UInt32.self) == 0x0504_0302)
        #expect(reader.readerIndex == 5)
        #expect(try reader.readBytes(2) == [0x06, 0x07])
        #expect(reader.readableBytes == 2)
    }

    @Test func failedReadLeavesIndexUnchanged() throws {
        var reader = ByteReader([0xFF, 0xFF, 0xFF])
        try reader.skip(1)
        #expect(throws: ByteReaderError.outOfBounds(offset: 1, needed: 4, available: 2)) {
            try reader.readLittleEndian(UInt32.self)
        }
        #expect(throws: ByteReaderError.outOfBounds(offset: 1, needed: 3, available: 2)) { try reader.readBytes(3) }
        #expect(reader.readerIndex == 1)
        #expect(try reader.readLittleEndian(UInt16.self) == 0xFFFF)
    }

    @Test func expectZeroReportsRangeAndBytes() throws {
        var reader = ByteReader([0xAA, 0, 0, 7, 0])
        try reader.skip(1)
        #expect(throws: ByteReaderError.nonZero(range: 1..<5, bytes: [0, 0, 7, 0])) { try reader.expectZero(1..<5) }
        #expect(reader.readerIndex == 1)
        try reader.expectZero(1..<3)
        #expect(reader.readerIndex == 3)
        #expect(throws: ByteReaderError.outOfBounds(offset: 3, needed: 4, available: 2)) { try reader.expectZero(3..<7) }
    }

    @Test func byteWriterIsTheInverse() throws {
        var writer = ByteWriter(count: 12)
        writer.put(UInt32(0xDEAD_BEEF), at: 0)
        writer.put(UInt64(0x0102_0304_0506_0708), at: 4)
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readLittleEndian(UInt32.self) == 0xDEAD_BEEF)
        #expect(try reader.readLittleEndian(UInt64.self) == 0x0102_0304_0506_0708)
        #expect(writer.bytes[4] == 0x08)
    }

    @Test func errorDescriptionsNameOffsets() {
        #expect(ByteReaderError.nonZero(range: 0x4C..<0x50, bytes: [0, 0, 0, 0xCC]).description.contains("0x4C..<0x50"))
        #expect(ByteReaderError.nonZero(range: 0x4C..<0x50, bytes: [0, 0, 0, 0xCC]).description.contains("000000cc"))
        #expect(ByteReaderError.outOfBounds(offset: 0x10, needed: 8, available: 3).description.contains("0x10"))
    }
}
