/// A cursor over a byte buffer for fixed-layout little-endian firmware structures.
///
/// Reads are transactional (as SwiftNIO's `ByteBuffer.readInteger`): a read that cannot be
/// satisfied throws and leaves ``readerIndex`` unchanged. Offsets in errors are absolute
/// positions in ``bytes``, so they match the offsets in the AMD specification tables.
public struct ByteReader: Sendable, Hashable {
    /// The whole buffer.
    public let bytes: [UInt8]
    /// The offset of the next byte to read.
    public private(set) var readerIndex: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.readerIndex = 0
    }

    /// Bytes left after ``readerIndex``.
    public var readableBytes: Int { bytes.count - readerIndex }

    private func requireReadable(_ count: Int) throws(ByteReaderError) {
        guard count >= 0, count <= readableBytes else {
            throw .outOfBounds(offset: readerIndex, needed: count, available: readableBytes)
        }
    }

    /// Reads a little-endian integer of type `T` and advances past it.
    public mutating func readLittleEndian<T: FixedWidthInteger>(_ type: T.Type = T.self) throws(ByteReaderError) -> T {
        let size = T.bitWidth / 8
        try requireReadable(size)
        var value: T = 0
        for index in 0..<size {
            value |= T(truncatingIfNeeded: bytes[readerIndex + index]) << (8 * index)
        }
        readerIndex += size
        return value
    }

    /// Reads `count` bytes as a new array and advances past them.
    public mutating func readBytes(_ count: Int) throws(ByteReaderError) -> [UInt8] {
        try requireReadable(count)
        let result = Array(bytes[readerIndex..<(readerIndex + count)])
        readerIndex += count
        return result
    }

    /// Checks that the must-be-zero bytes `range` (absolute offsets, starting at ``readerIndex``)
    /// are all zero and advances past them.
    ///
    /// - Throws: ``ByteReaderError/nonZero(range:bytes:)`` with the range and its content, or
    ///   ``ByteReaderError/outOfBounds(offset:needed:available:)``.
    /// - Precondition: `range.lowerBound == readerIndex` (a layout table out of step with the
    ///   reader is a programming error).
    public mutating func expectZero(_ range: Range<Int>) throws(ByteReaderError) {
        precondition(range.lowerBound == readerIndex, "expectZero(\(hexRange(range))) at reader offset \(hexOffset(readerIndex))")
        try requireReadable(range.count)
        let slice = bytes[range]
        guard slice.allSatisfy({ $0 == 0 }) else {
            throw .nonZero(range: range, bytes: Array(slice))
        }
        readerIndex = range.upperBound
    }

    /// Advances by `count` bytes without reading them.
    public mutating func skip(_ count: Int) throws(ByteReaderError) {
        try requireReadable(count)
        readerIndex += count
    }
}

/// Why a ``ByteReader`` read failed. Offsets are absolute positions in the reader's buffer.
public enum ByteReaderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `needed` bytes were requested at `offset`, but only `available` remain.
    case outOfBounds(offset: Int, needed: Int, available: Int)
    /// The must-be-zero `range` holds non-zero `bytes` (the whole range, as read).
    case nonZero(range: Range<Int>, bytes: [UInt8])

    public var description: String {
        switch self {
        case let .outOfBounds(offset, needed, available):
            return "read of \(needed) bytes at offset \(hexOffset(offset)) needs more data: \(available) bytes remain"
        case let .nonZero(range, bytes):
            return "must-be-zero range [\(hexRange(range))] is not all zero: \(abbreviatedHex(bytes))"
        }
    }
}
