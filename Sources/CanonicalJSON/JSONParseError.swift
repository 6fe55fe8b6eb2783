/// Why `JSONParser` rejected a text, and where.
///
/// `offset` is the 0-based byte offset of the offending byte (or of the start of the offending
/// token: a string for `duplicateKey`/`stringTooLong`, a number for `numberOutOfRange`, the
/// bracket for `nestingTooDeep`, the backslash for `loneSurrogate`). `line` is 1-based and counts
/// LF bytes before `offset`; `column` is 1-based and counts Unicode scalars (UTF-8 lead bytes)
/// since the last LF.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// The text is longer than `JSONParser.Limits.maxBytes`.
        case inputTooLarge(byteCount: Int, limit: Int)
        /// The text ended where `expected` was required.
        case unexpectedEndOfInput(expected: Expectation)
        /// `byte` appeared where `expected` was required.
        case unexpectedByte(UInt8, expected: Expectation)
        /// More than `JSONParser.Limits.maxDepth` nested arrays/objects.
        case nestingTooDeep(limit: Int)
        /// A string (value or member name) longer than `JSONParser.Limits.maxStringBytes` UTF-8 bytes
        /// after unescaping.
        case stringTooLong(limit: Int)
        /// Not well-formed UTF-8 (RFC 3629): a bad lead byte, a bad or missing continuation
        /// byte, an overlong form, an encoded surrogate or a value above U+10FFFF. `byte` is the
        /// first byte that cannot be part of the sequence.
        case invalidUTF8(UInt8)
        /// An unescaped U+0000–U+001F inside a string (RFC 8259 §7).
        case controlCharacterInString(UInt8)
        /// A `\uXXXX` escape for a UTF-16 surrogate that is not part of a high+low pair.
        case loneSurrogate(UInt16)
        /// A number with a leading zero such as `01` or `-00` (RFC 8259 §6).
        case leadingZero
        /// A number whose magnitude overflows IEEE 754 binary64, e.g. `1e400` (I-JSON, RFC 7493 §2.2).
        case numberOutOfRange(literal: String)
        /// An object with the same member name twice (I-JSON, RFC 7493 §2.3; RFC 8785 §3.1).
        /// Names that are equal as Swift `String`s (canonically equivalent) count as duplicates,
        /// because `JSONValue.object` could not hold both.
        case duplicateKey(String)
    }

    /// What the parser would have accepted at the failing position.
    public enum Expectation: Hashable, Sendable, CustomStringConvertible {
        case value
        case valueOrArrayEnd
        case memberNameOrObjectEnd
        case memberName
        case colon
        case commaOrArrayEnd
        case commaOrObjectEnd
        case digit
        case hexDigit
        case escapeCharacter
        case closingQuote
        case lowSurrogateEscape
        case literal(String)
        case endOfInput

        public var description: String {
            switch self {
            case .value: return "a JSON value"
            case .valueOrArrayEnd: return "a JSON value or ']'"
            case .memberNameOrObjectEnd: return "a member name string or '}'"
            case .memberName: return "a member name string"
            case .colon: return "':'"
            case .commaOrArrayEnd: return "',' or ']'"
            case .commaOrObjectEnd: return "',' or '}'"
            case .digit: return "a digit"
            case .hexDigit: return "a hexadecimal digit"
            case .escapeCharacter: return "one of \" \\ / b f n r t u after '\\'"
            case .closingQuote: return "the closing '\"' of a string"
            case .lowSurrogateEscape: return "a \\uDC00-\\uDFFF low surrogate escape"
            case .literal(let word): return "the literal '\(word)'"
            case .endOfInput: return "end of input"
            }
        }
    }

    public let reason: Reason
    public let offset: Int
    public let line: Int
    public let column: Int

    public init(reason: Reason, offset: Int, line: Int, column: Int) {
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// Builds the error for `offset` in `bytes`, computing line and column.
    init(_ reason: Reason, at offset: Int, in bytes: [UInt8]) {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        self.init(reason: reason, offset: offset, line: line, column: column)
    }

    public var description: String {
        let place = "at byte offset \(offset) (line \(line), column \(column))"
        switch reason {
        case .inputTooLarge(let byteCount, let limit):
            return "JSON text of \(byteCount) bytes exceeds the limit of \(limit) bytes"
        case .unexpectedEndOfInput(let expected):
            return "unexpected end of JSON input \(place): expected \(expected)"
        case .unexpectedByte(let byte, let expected):
            return "unexpected \(Self.describe(byte)) \(place): expected \(expected)"
        case .nestingTooDeep(let limit):
            return "JSON nesting deeper than \(limit) levels \(place)"
        case .stringTooLong(let limit):
            return "JSON string longer than \(limit) bytes \(place)"
        case .invalidUTF8(let byte):
            return "invalid UTF-8 byte \(Self.hex(byte)) \(place)"
        case .controlCharacterInString(let byte):
            return "unescaped control character \(Self.hex(byte)) in a string \(place)"
        case .loneSurrogate(let unit):
            return "lone UTF-16 surrogate \\u\(Self.hex16(unit)) \(place)"
        case .leadingZero:
            return "number with a leading zero \(place)"
        case .numberOutOfRange(let literal):
            return "number \(literal) overflows a 64-bit double \(place)"
        case .duplicateKey(let key):
            return "duplicate object member name \"\(key)\" \(place)"
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte \(hex(byte))"
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }

    private static func hex16(_ unit: UInt16) -> String {
        let digits = Array("0123456789ABCDEF")
        return (0..<4).reversed().map { String(digits[Int((unit >> (UInt16($0) * 4)) & 0xF)]) }.joined()
    }
}
