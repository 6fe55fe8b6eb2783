import ArgumentParser
import SNPABI

/// Hex command-line values (`--measurement`, `--report-data`, `--nonce`).
enum HexArgument {
    /// Decodes hex (upper or lower case, optional 0x); fails with a message naming the option.
    static func decode(_ text: String, option: String, count: ClosedRange<Int>? = nil) throws -> [UInt8] {
        let digits = text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
        guard let bytes = Hex.decode(digits) else {
            throw ValidationError("\(option): \(String(reflecting: text)) is not an even number of hex digits")
        }
        if let count, !count.contains(bytes.count) {
            let wanted = count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound)–\(count.upperBound)"
            throw ValidationError("\(option): expected \(wanted) bytes, got \(bytes.count)")
        }
        return bytes
    }

    static func encode(_ bytes: some Sequence<UInt8>) -> String { Hex.encode(bytes) }
}
