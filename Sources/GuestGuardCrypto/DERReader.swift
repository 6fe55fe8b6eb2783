/// A strict, minimal DER reader (ITU-T X.690 §10): single-byte tags, definite minimal lengths.
/// It reads what the AMD certificate profile needs — the RSASSA-PSS AlgorithmIdentifier and the
/// VCEK/VLEK extension values — and nothing else. Like swift-asn1 it refuses unconsumed data.
public struct DERReader: Sendable {
    /// Universal tags we read.
    public enum Tag {
        public static let integer: UInt8 = 0x02
        public static let octetString: UInt8 = 0x04
        public static let null: UInt8 = 0x05
        public static let objectIdentifier: UInt8 = 0x06
        public static let ia5String: UInt8 = 0x16
        public static let sequence: UInt8 = 0x30
        /// `[n]` context-specific constructed (EXPLICIT) tag.
        public static func contextConstructed(_ number: UInt8) -> UInt8 { 0xA0 | number }
    }

    /// One tag-length-value element.
    public struct Element: Sendable {
        public let tag: UInt8
        /// Offset of the tag byte in the reader's buffer.
        public let offset: Int
        /// Offset of the first content byte.
        public let contentOffset: Int
        public let contents: ArraySlice<UInt8>
    }

    private let bytes: [UInt8]
    private var index: Int
    private let end: Int

    public init(_ bytes: [UInt8]) {
        self.init(bytes: bytes, range: 0..<bytes.count)
    }

    private init(bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    /// Whether every byte has been consumed.
    public var isAtEnd: Bool { index == end }

    /// Returns the tag of the next element without consuming it, or nil at the end.
    public func peekTag() -> UInt8? { index < end ? bytes[index] : nil }

    /// Throws unless every byte has been consumed.
    public func expectEnd() throws(DERError) {
        guard isAtEnd else { throw .trailingData(offset: index, count: end - index) }
    }

    /// Reads the next element, whatever its tag.
    public mutating func readElement() throws(DERError) -> Element {
        let start = index
        guard end - index >= 2 else { throw .truncated(offset: start) }
        let tag = bytes[index]
        guard tag & 0x1F != 0x1F else { throw .highTagNumber(offset: start) }
        var cursor = index + 1
        let first = bytes[cursor]
        cursor += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count != 0 else { throw .indefiniteLength(offset: start) }
            guard count <= 4 else { throw .lengthTooLarge(offset: start) }
            guard end - cursor >= count else { throw .truncated(offset: start) }
            guard bytes[cursor] != 0 else { throw .nonMinimalLength(offset: start) }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[cursor])
                cursor += 1
            }
            guard length >= 0x80 else { throw .nonMinimalLength(offset: start) }
        }
        guard end - cursor >= length else { throw .truncated(offset: start) }
        index = cursor + length
        return Element(tag: tag, offset: start, contentOffset: cursor, contents: bytes[cursor..<cursor + length])
    }

    /// Reads the next element and requires `tag`.
    public mutating func readElement(tag: UInt8) throws(DERError) -> Element {
        let saved = index
        let element = try readElement()
        guard element.tag == tag else {
            index = saved
            throw .unexpectedTag(expected: tag, actual: element.tag, offset: element.offset)
        }
        return element
    }

    /// Reads a constructed element (SEQUENCE or `[n]` EXPLICIT) and returns a reader over its contents.
    public mutating func readConstructed(tag: UInt8 = Tag.sequence) throws(DERError) -> DERReader {
        let element = try readElement(tag: tag)
        return DERReader(bytes: bytes, range: element.contentOffset..<element.contentOffset + element.contents.count)
    }

    /// Reads an INTEGER that must be non-negative and fit in 64 bits.
    public mutating func readUnsignedInteger() throws(DERError) -> UInt64 {
        let element = try readElement(tag: Tag.integer)
        let contents = element.contents
        guard let first = contents.first else { throw .nonMinimalInteger(offset: element.offset) }
        if contents.count > 1 {
            let second = contents[contents.startIndex + 1]
            if (first == 0x00 && second & 0x80 == 0) || (first == 0xFF && second & 0x80 != 0) {
                throw .nonMinimalInteger(offset: element.offset)
            }
        }
        guard first & 0x80 == 0 else { throw .negativeInteger(offset: element.offset) }
        let magnitude = first == 0 ? contents.dropFirst() : contents
        guard magnitude.count <= 8 else { throw .integerTooLarge(offset: element.offset) }
        return magnitude.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Reads an IA5String (7-bit ASCII).
    public mutating func readIA5String() throws(DERError) -> String {
        let element = try readElement(tag: Tag.ia5String)
        guard element.contents.allSatisfy({ $0 < 0x80 }) else { throw .invalidIA5String(offset: element.offset) }
        return String(decoding: element.contents, as: UTF8.self)
    }

    /// Reads an OCTET STRING's contents.
    public mutating func readOctetString() throws(DERError) -> ArraySlice<UInt8> {
        try readElement(tag: Tag.octetString).contents
    }

    /// Reads a NULL (which has no contents).
    public mutating func readNull() throws(DERError) {
        let element = try readElement(tag: Tag.null)
        guard element.contents.isEmpty else { throw .trailingData(offset: element.contentOffset, count: element.contents.count) }
    }

    /// Reads an OBJECT IDENTIFIER and returns it in dotted form (`1.2.840.113549.1.1.10`).
    public mutating func readObjectIdentifier() throws(DERError) -> String {
        let element = try readElement(tag: Tag.objectIdentifier)
        var arcs: [UInt64] = []
        var value: UInt64 = 0
        var startsArc = true
        for byte in element.contents {
            if startsArc && byte == 0x80 { throw .invalidObjectIdentifier(offset: element.offset) }
            guard value >> 57 == 0 else { throw .invalidObjectIdentifier(offset: element.offset) }
            value = value << 7 | UInt64(byte & 0x7F)
            startsArc = byte & 0x80 == 0
            if startsArc {
                arcs.append(value)
                value = 0
            }
        }
        guard startsArc, let first = arcs.first else { throw .invalidObjectIdentifier(offset: element.offset) }
        let head: [UInt64] = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
        return (head + arcs.dropFirst()).map(String.init).joined(separator: ".")
    }
}
