import CanonicalJSON
import Testing

@Suite struct JSONParserTests {
    @Test(arguments: [
        ("null", JSONValue.null), ("true", .bool(true)), (" false\n", .bool(false)), ("0", .integer(0)),
        ("-0", .integer(0)), ("-0.0", .number(-0.0)), ("1.0", .number(1)), ("1e2", .number(100)),
        ("1E+2", .number(100)), ("-12.5e-1", .number(-1.25)), ("9007199254740993", .integer(9_007_199_254_740_993)),
        ("9223372036854775807", .integer(.max)), ("-9223372036854775808", .integer(.min)),
        ("9223372036854775808", .number(9_223_372_036_854_775_808)), ("18446744073709551615", .number(1.8446744073709552e19)),
        ("1e-400", .number(0)), ("5e-324", .number(.leastNonzeroMagnitude)), ("1.7976931348623157e308", .number(.greatestFiniteMagnitude)),
        ("\"\"", .string("")), (#""\u00e9\u20AC\ud83d\ude00""#, .string("é€😀")), (#""\/\b\f\n\r\t\"\\""#, .string("/\u{8}\u{C}\n\r\t\"\\")),
        (#""\u0000""#, .string("\u{0}")), ("\"\u{2028}\u{7F}\u{10FFFF}\"", .string("\u{2028}\u{7F}\u{10FFFF}")),
        ("[]", .array([])), ("{}", .object([:])), (" [ 1 , [ ] , { } ] ", .array([1, [], [:]])),
        (#"{"a":{"b":[true,null]},"c":"d"}"#, ["a": ["b": [true, nil]] as JSONValue, "c": "d"] as JSONValue),
        (#"{"é":1,"e\u0301x":2}"#, ["é": 1, "e\u{301}x": 2] as JSONValue),
    ])
    func parsesValidText(text: String, expected: JSONValue) throws {
        let value = try JSONParser.parse(text)
        #expect(value == expected)
        if case .number(let parsed) = value, case .number(let wanted) = expected {
            #expect(parsed.sign == wanted.sign)
        }
    }

    @Test func keepsNonASCIIKeysDistinctByScalars() throws {
        // U+00E9 and U+0065 U+0301 are canonically equivalent: Swift would merge them.
        #expect(throws: JSONParseError(reason: .duplicateKey("e\u{301}"), offset: 9, line: 1, column: 9)) {
            try JSONParser.parse(#"{"é":1, "e\u0301":2}"#)
        }
    }

    @Test func depthLimitCountsContainers() throws {
        let limits = JSONParser.Limits(maxBytes: 100, maxDepth: 3, maxStringBytes: 10)
        #expect(try JSONParser.parse("[[[1]]]", limits: limits) == [[[1]]])
        #expect(throws: JSONParseError(reason: .nestingTooDeep(limit: 3), offset: 3, line: 1, column: 4)) {
            try JSONParser.parse("[[[{}]]]", limits: limits)
        }
    }

    @Test func stringLimitCountsUnescapedUTF8Bytes() throws {
        let limits = JSONParser.Limits(maxBytes: 100, maxDepth: 3, maxStringBytes: 4)
        #expect(try JSONParser.parse(#"["\u00e9\u00e9"]"#, limits: limits) == ["éé"])
        #expect(throws: JSONParseError(reason: .stringTooLong(limit: 4), offset: 1, line: 1, column: 2)) {
            try JSONParser.parse(#"["\u00e9\u00e9a"]"#, limits: limits)
        }
        #expect(throws: JSONParseError(reason: .stringTooLong(limit: 4), offset: 1, line: 1, column: 2)) {
            try JSONParser.parse(#"{"abcde":1}"#, limits: limits)
        }
    }

    @Test func byteLimitIsCheckedFirst() {
        let limits = JSONParser.Limits(maxBytes: 4, maxDepth: 3, maxStringBytes: 4)
        #expect(throws: JSONParseError(reason: .inputTooLarge(byteCount: 5, limit: 4), offset: 0, line: 1, column: 1)) {
            try JSONParser.parse("[1,2]", limits: limits)
        }
    }

    @Test func deeplyNestedInputFailsCleanlyUnderTheDefaultLimit() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError(reason: .nestingTooDeep(limit: 64), offset: 64, line: 1, column: 65)) {
            try JSONParser.parse(text)
        }
    }
}
