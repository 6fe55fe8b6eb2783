/// A DER decoding failure. Offsets are relative to the start of the buffer handed to
/// ``DERReader/init(_:)``.
public enum DERError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The buffer ended inside the element starting at `offset`.
    case truncated(offset: Int)
    /// The element at `offset` has tag `actual`, not `expected`.
    case unexpectedTag(expected: UInt8, actual: UInt8, offset: Int)
    /// Multi-byte (high-number) tags are not used by anything we read.
    case highTagNumber(offset: Int)
    /// Indefinite lengths are BER, not DER.
    case indefiniteLength(offset: Int)
    /// A length encoded in more bytes than necessary (DER requires the minimal form).
    case nonMinimalLength(offset: Int)
    /// A length too large to be real.
    case lengthTooLarge(offset: Int)
    /// Bytes left over after the last element that was expected.
    case trailingData(offset: Int, count: Int)
    /// An INTEGER with no content octets, or with a redundant leading 00/FF octet.
    case nonMinimalInteger(offset: Int)
    /// A negative INTEGER where an unsigned value was required.
    case negativeInteger(offset: Int)
    /// An INTEGER that does not fit the requested width.
    case integerTooLarge(offset: Int)
    /// An IA5String with a byte above 0x7F.
    case invalidIA5String(offset: Int)
    /// An OBJECT IDENTIFIER whose arcs are not minimally or completely encoded.
    case invalidObjectIdentifier(offset: Int)
    /// A value that is neither the raw form nor the OCTET STRING-wrapped form of `expectedCount` bytes.
    case unexpectedLength(expectedCount: Int, actual: Int)

    public var description: String {
        switch self {
        case .truncated(let offset): "DER element at offset \(offset) is truncated"
        case .unexpectedTag(let expected, let actual, let offset):
            "DER tag at offset \(offset) is 0x\(hex(actual)), expected 0x\(hex(expected))"
        case .highTagNumber(let offset): "DER high-number tag at offset \(offset) is not supported"
        case .indefiniteLength(let offset): "DER indefinite length at offset \(offset)"
        case .nonMinimalLength(let offset): "DER length at offset \(offset) is not minimally encoded"
        case .lengthTooLarge(let offset): "DER length at offset \(offset) is too large"
        case .trailingData(let offset, let count): "\(count) trailing byte(s) after DER data at offset \(offset)"
        case .nonMinimalInteger(let offset): "DER INTEGER at offset \(offset) is empty or not minimally encoded"
        case .negativeInteger(let offset): "DER INTEGER at offset \(offset) is negative"
        case .integerTooLarge(let offset): "DER INTEGER at offset \(offset) does not fit 64 bits"
        case .invalidIA5String(let offset): "DER IA5String at offset \(offset) has a non-ASCII byte"
        case .invalidObjectIdentifier(let offset): "DER OBJECT IDENTIFIER at offset \(offset) is malformed"
        case .unexpectedLength(let expectedCount, let actual):
            "value is \(actual) bytes, expected \(expectedCount) raw bytes or an OCTET STRING of \(expectedCount) bytes"
        }
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
