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
