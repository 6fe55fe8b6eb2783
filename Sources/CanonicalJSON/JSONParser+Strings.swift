/// Strings (RFC 8259 §7): escapes, surrogate pairs and strict UTF-8 (RFC 3629 §4).
extension JSONParser {
    /// Parses a string whose opening quote is at `index`.
    mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1
        var buffer: [UInt8] = []
        while true {
            let byte = try peek(expecting: .closingQuote)
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case 0x00..<0x20:
                throw error(.controlCharacterInString(byte))
            case 0x20..<0x80:
                buffer.append(byte)
                index += 1
            default:
                try copyMultiByteScalar(into: &buffer)
            }
            guard buffer.count <= limits.maxStringBytes else {
                throw error(.stringTooLong(limit: limits.maxStringBytes), at: start)
            }
        }
    }

    /// Copies one well-formed multi-byte UTF-8 sequence starting at `index` (RFC 3629 §4 table).
    mutating func copyMultiByteScalar(into buffer: inout [UInt8]) throws(JSONParseError) {
        let lead = bytes[index]
        let secondRange: ClosedRange<UInt8>
        let length: Int
        switch lead {
        case 0xC2...0xDF: (length, secondRange) = (2, 0x80...0xBF)
        case 0xE0: (length, secondRange) = (3, 0xA0...0xBF)  // no overlongs
        case 0xE1...0xEC, 0xEE...0xEF: (length, secondRange) = (3, 0x80...0xBF)
        case 0xED: (length, secondRange) = (3, 0x80...0x9F)  // no encoded surrogates
        case 0xF0: (length, secondRange) = (4, 0x90...0xBF)  // no overlongs
        case 0xF1...0xF3: (length, secondRange) = (4, 0x80...0xBF)
        case 0xF4: (length, secondRange) = (4, 0x80...0x8F)  // nothing above U+10FFFF
        default: throw error(.invalidUTF8(lead))
        }
        for position in 1..<length {
            let offset = index + position
            guard offset < bytes.count else { throw error(.unexpectedEndOfInput(expected: .closingQuote), at: offset) }
            let byte = bytes[offset]
            let allowed = position == 1 ? secondRange : 0x80...0xBF
            guard allowed.contains(byte) else { throw error(.invalidUTF8(byte), at: offset) }
        }
        buffer.append(contentsOf: bytes[index..<index + length])
        index += length
    }

    /// Parses the escape whose backslash is at `index` and appends its UTF-8 form.
    mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        let backslash = index
        index += 1
        let byte = try peek(expecting: .escapeCharacter)
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHex4()
            let scalarValue: UInt32
            switch unit {
            case 0xD800...0xDBFF:
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw error(.loneSurrogate(unit), at: backslash) }
                index += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error(.loneSurrogate(unit), at: backslash) }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            case 0xDC00...0xDFFF:
                throw error(.loneSurrogate(unit), at: backslash)
            default:
                scalarValue = UInt32(unit)
            }
            // Every value here is a valid scalar: surrogates were excluded above.
            buffer.append(contentsOf: String(Character(Unicode.Scalar(scalarValue)!)).utf8)
        default:
            index -= 1
            throw error(.unexpectedByte(byte, expected: .escapeCharacter))
        }
    }

    /// Four hexadecimal digits (either case) of a `\u` escape.
    mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = try peek(expecting: .hexDigit)
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(.unexpectedByte(byte, expected: .hexDigit))
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }
}
