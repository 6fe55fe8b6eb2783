import CanonicalJSON
import Testing

/// Every rejection names the reason, the exact byte offset, line and column.
@Suite struct JSONParserErrorTests {
    typealias Reason = JSONParseError.Reason

    @Test(arguments: [
        // Structure
        ("", Reason.unexpectedEndOfInput(expected: .value), 0, 1, 1),
        ("   ", .unexpectedEndOfInput(expected: .value), 3, 1, 4),
        ("\u{FEFF}{}", .unexpectedByte(0xEF, expected: .value), 0, 1, 1),
        ("{} x", .unexpectedByte(UInt8(ascii: "x"), expected: .endOfInput), 3, 1, 4),
        ("[1,]", .unexpectedByte(UInt8(ascii: "]"), expected: .value), 3, 1, 4),
        ("[1 2]", .unexpectedByte(UInt8(ascii: "2"), expected: .commaOrArrayEnd), 3, 1, 4),
        ("[1", .unexpectedEndOfInput(expected: .commaOrArrayEnd), 2, 1, 3),
        ("[", .unexpectedEndOfInput(expected: .valueOrArrayEnd), 1, 1, 2),
        ("{\"a\" 1}", .unexpectedByte(UInt8(ascii: "1"), expected: .colon), 5, 1, 6),
        ("{\"a\":1,}", .unexpectedByte(UInt8(ascii: "}"), expected: .memberName), 7, 1, 8),
        ("{'a':1}", .unexpectedByte(UInt8(ascii: "'"), expected: .memberNameOrObjectEnd), 1, 1, 2),
        ("{\"a\":1 \"b\":2}", .unexpectedByte(UInt8(ascii: "\""), expected: .commaOrObjectEnd), 7, 1, 8),
        ("{\"a\":}", .unexpectedByte(UInt8(ascii: "}"), expected: .value), 5, 1, 6),
        ("{\"a\":1,\n \"a\":2}", .duplicateKey("a"), 9, 2, 2),
        ("[tru]", .unexpectedByte(UInt8(ascii: "]"), expected: .literal("true")), 4, 1, 5),
        ("nul", .unexpectedEndOfInput(expected: .literal("null")), 3, 1, 4),
        ("NaN", .unexpectedByte(UInt8(ascii: "N"), expected: .value), 0, 1, 1),
        ("[1]\n// c", .unexpectedByte(UInt8(ascii: "/"), expected: .endOfInput), 4, 2, 1),
        // Numbers
        ("01", .leadingZero, 0, 1, 1),
        ("[-00]", .leadingZero, 2, 1, 3),
        ("-", .unexpectedEndOfInput(expected: .digit), 1, 1, 2),
        ("-a", .unexpectedByte(UInt8(ascii: "a"), expected: .digit), 1, 1, 2),
        ("+1", .unexpectedByte(UInt8(ascii: "+"), expected: .value), 0, 1, 1),
        (".5", .unexpectedByte(UInt8(ascii: "."), expected: .value), 0, 1, 1),
        ("1.", .unexpectedEndOfInput(expected: .digit), 2, 1, 3),
        ("1.e5", .unexpectedByte(UInt8(ascii: "e"), expected: .digit), 2, 1, 3),
        ("1e+", .unexpectedEndOfInput(expected: .digit), 3, 1, 4),
        ("[1e400]", .numberOutOfRange(literal: "1e400"), 1, 1, 2),
        ("-1e309", .numberOutOfRange(literal: "-1e309"), 0, 1, 1),
        ("0x10", .unexpectedByte(UInt8(ascii: "x"), expected: .endOfInput), 1, 1, 2),
        // Strings
        ("\"abc", .unexpectedEndOfInput(expected: .closingQuote), 4, 1, 5),
        ("\"a\tb\"", .controlCharacterInString(0x09), 2, 1, 3),
        ("\"\n\"", .controlCharacterInString(0x0A), 1, 1, 2),
        ("\"\\x\"", .unexpectedByte(UInt8(ascii: "x"), expected: .escapeCharacter), 2, 1, 3),
        ("\"\\u12G4\"", .unexpectedByte(UInt8(ascii: "G"), expected: .hexDigit), 5, 1, 6),
        ("\"\\u12", .unexpectedEndOfInput(expected: .hexDigit), 5, 1, 6),
        ("[\"ok\",\"\\ud800\"]", .loneSurrogate(0xD800), 7, 1, 8),
        ("\"\\udbff\\u0041\"", .loneSurrogate(0xDBFF), 1, 1, 2),
        ("\"\\ud83d\\n\"", .loneSurrogate(0xD83D), 1, 1, 2),
        ("\"x\\udc00\"", .loneSurrogate(0xDC00), 2, 1, 3),
        ("\"é\\ud800\"", .loneSurrogate(0xD800), 3, 1, 3),
    ] as [(String, Reason, Int, Int, Int)])
    func rejectsText(text: String, reason: Reason, offset: Int, line: Int, column: Int) {
        #expect(throws: JSONParseError(reason: reason, offset: offset, line: line, column: column)) {
            try JSONParser.parse(text)
        }
    }

    /// Ill-formed UTF-8 (RFC 3629 §4) inside strings, given as raw bytes.
    @Test(arguments: [
        ([0x22, 0x80, 0x22], Reason.invalidUTF8(0x80), 1),  // lone continuation byte
        ([0x22, 0xC0, 0xAF, 0x22], .invalidUTF8(0xC0), 1),  // overlong '/'
        ([0x22, 0xC3, 0x28, 0x22], .invalidUTF8(0x28), 2),  // bad continuation
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], .invalidUTF8(0x80), 2),  // overlong 3-byte
        ([0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8(0xA0), 2),  // encoded surrogate U+D800
        ([0x22, 0xF0, 0x8F, 0xBF, 0xBF, 0x22], .invalidUTF8(0x8F), 2),  // overlong 4-byte
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .invalidUTF8(0x90), 2),  // above U+10FFFF
        ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], .invalidUTF8(0xF5), 1),
        ([0x22, 0xFF, 0x22], .invalidUTF8(0xFF), 1),
        ([0x22, 0xE2, 0x82], .unexpectedEndOfInput(expected: .closingQuote), 3),  // truncated at end
        ([0x5B, 0xC3, 0xA9, 0x5D], .unexpectedByte(0xC3, expected: .valueOrArrayEnd), 1),  // outside a string
    ] as [([UInt8], Reason, Int)])
    func rejectsIllFormedUTF8(bytes: [UInt8], reason: Reason, offset: Int) throws {
        let error = try #require(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        #expect(error.reason == reason)
        #expect(error.offset == offset)
    }

    @Test func descriptionNamesWhatAndWhere() throws {
        let error = try #require(throws: JSONParseError.self) { try JSONParser.parse("{\n  \"a\": [1,\n  ]}") }
        #expect(error.description == "unexpected ']' at byte offset 15 (line 3, column 3): expected a JSON value")
    }
}
