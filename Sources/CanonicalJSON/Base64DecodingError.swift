/// Why `Base64.decode` or `Base64URL.decode` rejected a text. Offsets are 0-based byte offsets
/// into the UTF-8 text.
public enum Base64DecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A byte outside the alphabet (including `=` where padding is not allowed, and whitespace).
    case invalidCharacter(UInt8, offset: Int)
    /// A length that no encoding produces: for padded base64 not a multiple of 4, for unpadded
    /// base64url a length ≡ 1 (mod 4).
    case invalidLength(Int)
    /// Padding in the wrong place or of the wrong amount (padded base64 only).
    case invalidPadding(offset: Int)
    /// The last character carries bits that the encoded bytes do not use (RFC 4648 §3.5); a
    /// canonical encoder always leaves them zero.
    case nonZeroTrailingBits(offset: Int)

    public var description: String {
        switch self {
        case .invalidCharacter(let byte, let offset):
            return "invalid base64 character 0x\(String(byte, radix: 16)) at offset \(offset)"
        case .invalidLength(let length):
            return "invalid base64 length \(length)"
        case .invalidPadding(let offset):
            return "invalid base64 padding at offset \(offset)"
        case .nonZeroTrailingBits(let offset):
            return "non-canonical base64: unused bits set in the character at offset \(offset)"
        }
    }
}
