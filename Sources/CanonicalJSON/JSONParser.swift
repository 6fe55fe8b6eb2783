/// A strict RFC 8259 JSON parser over UTF-8 bytes, with the I-JSON (RFC 7493) restrictions that
/// RFC 8785 canonicalization relies on.
///
/// Accepted: exactly one JSON value (any type, RFC 8259 §2) with optional surrounding
/// whitespace (space, tab, LF, CR). Rejected, with a `JSONParseError` carrying the byte offset,
/// line and column: a byte order mark, trailing data, comments, trailing commas, single quotes,
/// unescaped control characters, invalid escapes, lone surrogate escapes (`"\uD800"`),
/// ill-formed UTF-8, leading zeros, `NaN`/`Infinity`, numbers that overflow a double, duplicate
/// member names, and anything beyond `Limits`.
///
/// Numbers: a literal without fraction and exponent that fits `Int64` becomes `.integer`
/// (exact, so 2^53+1 keeps its value). Every other number becomes `.number(Double)`, rounded to
/// the nearest double as JavaScript's `JSON.parse` does: `1.0` and `1e2` are `.number`, and an
/// integer literal outside Int64 (e.g. 18446744073709551615) becomes the nearest double
/// (1.8446744073709552e19) and loses its exact value. `-0` is `.integer(0)`; `-0.0` is
/// `.number(-0.0)`. Underflow (`1e-400`) rounds to zero.
public struct JSONParser {
    let bytes: [UInt8]
    let limits: Limits
    var index = 0

    /// Parses one JSON text.
    public static func parse(_ bytes: [UInt8], limits: Limits = .default) throws(JSONParseError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw JSONParseError(
                reason: .inputTooLarge(byteCount: bytes.count, limit: limits.maxBytes), offset: 0, line: 1, column: 1)
        }
        var parser = JSONParser(bytes: bytes, limits: limits)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw parser.error(.unexpectedByte(bytes[parser.index], expected: .endOfInput))
        }
        return value
    }

    /// Parses the UTF-8 form of `text`.
    public static func parse(_ text: String, limits: Limits = .default) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }

    func error(_ reason: JSONParseError.Reason, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(reason, at: offset ?? index, in: bytes)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The byte at `index`, or an end-of-input error naming `expected`.
    func peek(expecting expected: JSONParseError.Expectation) throws(JSONParseError) -> UInt8 {
        guard index < bytes.count else { throw error(.unexpectedEndOfInput(expected: expected)) }
        return bytes[index]
    }

    mutating func parseValue(depth: Int, expected: JSONParseError.Expectation = .value) throws(JSONParseError) -> JSONValue {
        let byte = try peek(expecting: expected)
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try parseLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try parseLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try parseLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw error(.unexpectedByte(byte, expected: expected))
        }
    }

    mutating func parseLiteral(_ word: StaticString) throws(JSONParseError) {
        let text = String(describing: word)
        for expectedByte in text.utf8 {
            let byte = try peek(expecting: .literal(text))
            guard byte == expectedByte else { throw error(.unexpectedByte(byte, expected: .literal(text))) }
            index += 1
        }
    }

    mutating func enter(depth: Int) throws(JSONParseError) {
        guard depth <= limits.maxDepth else { throw error(.nestingTooDeep(limit: limits.maxDepth)) }
        index += 1  // the opening bracket
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        try enter(depth: depth)
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek(expecting: .valueOrArrayEnd) == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        var expected = JSONParseError.Expectation.valueOrArrayEnd
        while true {
            if let small = scanSmallArrayInteger() {
                elements.append(.integer(small))
            } else {
                elements.append(try parseValue(depth: depth, expected: expected))
            }
            skipWhitespace()
            let byte = try peek(expecting: .commaOrArrayEnd)
            index += 1
            switch byte {
            case UInt8(ascii: ","):
                skipWhitespace()
                expected = .value
            case UInt8(ascii: "]"):
                return .array(elements)
            default:
                index -= 1
                throw error(.unexpectedByte(byte, expected: .commaOrArrayEnd))
            }
        }
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        try enter(depth: depth)
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        var expected = JSONParseError.Expectation.memberNameOrObjectEnd
        if try peek(expecting: expected) == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            let byte = try peek(expecting: expected)
            guard byte == UInt8(ascii: "\"") else { throw error(.unexpectedByte(byte, expected: expected)) }
            let keyOffset = index
            let key = try parseString()
            guard members.index(forKey: key) == nil else { throw error(.duplicateKey(key), at: keyOffset) }
            skipWhitespace()
            let colon = try peek(expecting: .colon)
            guard colon == UInt8(ascii: ":") else { throw error(.unexpectedByte(colon, expected: .colon)) }
            index += 1
            skipWhitespace()
            members[key] = try parseValue(depth: depth)
            skipWhitespace()
            let separator = try peek(expecting: .commaOrObjectEnd)
            switch separator {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                expected = .memberName
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default:
                throw error(.unexpectedByte(separator, expected: .commaOrObjectEnd))
            }
        }
    }
}
