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
