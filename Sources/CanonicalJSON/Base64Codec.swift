/// The RFC 4648 base 64 algorithm shared by `Base64` (§4) and `Base64URL` (§5).
struct Base64Codec {
    /// The 64 alphabet characters in value order.
    let alphabet: [UInt8]
    /// Whether encoded text carries `=` padding to a multiple of 4 characters.
    let padded: Bool
    /// Character → value, 0xFF for bytes outside the alphabet.
    let values: [UInt8]

    init(last2: String, padded: Bool) {
        alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\(last2)".utf8)
        self.padded = padded
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() { values[Int(character)] = UInt8(value) }
        self.values = values
    }

    static let standard = Base64Codec(last2: "+/", padded: true)
    static let url = Base64Codec(last2: "-_", padded: false)

    func encode(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next()
            let b2 = b1 == nil ? nil : iterator.next()
            let group = UInt32(b0) << 16 | UInt32(b1 ?? 0) << 8 | UInt32(b2 ?? 0)
            let characters = b1 == nil ? 2 : (b2 == nil ? 3 : 4)
            for index in 0..<characters { out.append(alphabet[Int(group >> (18 - 6 * UInt32(index)) & 0x3F)]) }
            if padded { out.append(contentsOf: repeatElement(UInt8(ascii: "="), count: 4 - characters)) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func decode(_ text: String) throws(Base64DecodingError) -> [UInt8] {
        var characters = Array(text.utf8)
        if padded {
            guard characters.count % 4 == 0 else { throw .invalidLength(characters.count) }
            var padding = 0
            while padding < 2, characters.last == UInt8(ascii: "=") {
                characters.removeLast()
                padding += 1
            }
        } else {
            guard characters.count % 4 != 1 else { throw .invalidLength(characters.count) }
        }
        var out: [UInt8] = []
        out.reserveCapacity(characters.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for (offset, character) in characters.enumerated() {
            let value = values[Int(character)]
            guard value != 0xFF else {
                if padded && character == UInt8(ascii: "=") { throw .invalidPadding(offset: offset) }
                throw .invalidCharacter(character, offset: offset)
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        guard accumulator == 0 else { throw .nonZeroTrailingBits(offset: characters.count - 1) }
        return out
    }
}

/// Base 64 with the standard alphabet and `=` padding (RFC 4648 §4), as used for the KBS
/// challenge nonce (32 random bytes → 44 characters).
///
/// Decoding is strict: padding is required and must be exactly right, no whitespace or other
/// characters, and unused trailing bits must be zero (RFC 4648 §3.5), so every byte string has
/// exactly one accepted encoding.
public enum Base64 {
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        Base64Codec.standard.encode(bytes)
    }

    public static func decode(_ text: String) throws(Base64DecodingError) -> [UInt8] {
        try Base64Codec.standard.decode(text)
    }
}

/// Base 64 with the URL- and filename-safe alphabet and no padding (RFC 4648 §5, RFC 7515 §2
/// "Base64url Encoding"), as used by JOSE: JWK coordinates and every member of a JWE.
///
/// Decoding is strict: `=` is rejected, as are `+`, `/`, whitespace, a length ≡ 1 (mod 4) and
/// set unused trailing bits, so every byte string has exactly one accepted encoding.
public enum Base64URL {
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        Base64Codec.url.encode(bytes)
    }

    public static func decode(_ text: String) throws(Base64DecodingError) -> [UInt8] {
        try Base64Codec.url.decode(text)
    }
}

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
