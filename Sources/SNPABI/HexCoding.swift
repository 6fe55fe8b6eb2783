/// Hexadecimal text for byte fields: reports, policies, command lines, audit lines. Lower-case
/// output; strict input (even length, hex digits of either case only).
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lower-case hex, no separators. (ASCII bytes made into one String at the end: appending
    /// `Character`s one by one cost the broker ≈ 14 µs per handshake in its audit fields.)
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Bytes from hex digits of either case; nil unless every character is a digit and there is an
    /// even number of them.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Lower-case hex of `bytes`, no separators (internal helper for descriptions).
func hexString(_ bytes: some Sequence<UInt8>) -> String { Hex.encode(bytes) }

/// Hex of `bytes`, cut after `limit` bytes with a trailing "…(N bytes)" marker.
func abbreviatedHex(_ bytes: [UInt8], limit: Int = 32) -> String {
    if bytes.count <= limit { return hexString(bytes) }
    return hexString(bytes.prefix(limit)) + "…(\(bytes.count) bytes)"
}

/// `0x1EB`-style offset text.
func hexOffset(_ value: Int) -> String {
    "0x" + String(value, radix: 16, uppercase: true)
}

/// `0x188..<0x1A0`-style range text.
func hexRange(_ range: Range<Int>) -> String {
    hexOffset(range.lowerBound) + "..<" + hexOffset(range.upperBound)
}
