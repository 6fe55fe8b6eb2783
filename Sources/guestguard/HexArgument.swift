import ArgumentParser

/// Hex command-line values (`--measurement`, `--report-data`, `--nonce`).
enum HexArgument {
    /// Decodes hex (upper or lower case, optional 0x); fails with a message naming the option.
    static func decode(_ text: String, option: String, count: ClosedRange<Int>? = nil) throws -> [UInt8] {
        var digits = Array(text.utf8)
        if digits.starts(with: Array("0x".utf8)) { digits.removeFirst(2) }
        guard digits.count % 2 == 0 else { throw ValidationError("\(option): odd number of hex digits") }
        var bytes: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else {
                throw ValidationError("\(option): \(String(reflecting: text)) is not hex")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        if let count, !count.contains(bytes.count) {
            let wanted = count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound)–\(count.upperBound)"
            throw ValidationError("\(option): expected \(wanted) bytes, got \(bytes.count)")
        }
        return bytes
    }

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes { out += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        return String(decoding: out, as: UTF8.self)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}
