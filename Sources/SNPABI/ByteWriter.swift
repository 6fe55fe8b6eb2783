/// A fixed-size zero-filled buffer written at absolute offsets (little-endian), the inverse
/// of ``ByteReader`` for fixed-layout firmware structures.
public struct ByteWriter: Sendable, Hashable {
    /// The buffer.
    public private(set) var bytes: [UInt8]

    /// A buffer of `count` zero bytes.
    public init(count: Int) { bytes = [UInt8](repeating: 0, count: count) }

    /// Writes `value` little-endian at `offset`.
    /// - Precondition: the value fits inside the buffer.
    public mutating func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        let size = T.bitWidth / 8
        precondition(offset >= 0 && offset + size <= bytes.count, "ByteWriter.put at \(hexOffset(offset)) out of bounds")
        for index in 0..<size {
            bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index))
        }
    }

    /// Copies `data` to `offset`.
    /// - Precondition: the data fits inside the buffer.
    public mutating func put(_ data: some Collection<UInt8>, at offset: Int) {
        precondition(offset >= 0 && offset + data.count <= bytes.count, "ByteWriter.put at \(hexOffset(offset)) out of bounds")
        bytes.replaceSubrange(offset..<(offset + data.count), with: data)
    }
}
