/// Finds the first byte where `bytes` stops being well-formed UTF-8 (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF), or nil if all of it is.
func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
    var index = 0
    while index < bytes.count {
        let lead = bytes[index]
        if lead < 0x80 {
            index += 1
            continue
        }
        // The allowed range of the second byte depends on the lead byte (RFC 3629 section 4).
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return index
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return index }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) {
            return index
        }
        index += length
    }
    return nil
}

extension TOMLParser {
    /// Throws ``ConfigError/Reason/invalidUTF8`` at the first malformed byte.
    mutating func validateUTF8() throws(ConfigError) {
        guard let offset = firstInvalidUTF8Offset(cursor.bytes) else { return }
        var line = 1
        var column = 1
        for byte in cursor.bytes[..<offset] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        throw error(
            .invalidUTF8, at: SourceLocation(fileName: cursor.fileName, line: line, column: column), .root)
    }
}
