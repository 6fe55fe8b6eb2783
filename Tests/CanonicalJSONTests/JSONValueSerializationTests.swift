import CanonicalJSON
import Testing

@Suite struct JSONValueSerializationTests {
    @Test func sortsMembersByUTF16CodeUnits() throws {
        // RFC 8785 §3.2.3 example ordering: "\r" < "1" < "\u{80}" < "\u{E9}" < "\u{1F600}" < "\u{FB33}"
        let value: JSONValue = ["\u{20AC}": 1, "\r": 2, "\u{FB33}": 3, "1": 4, "\u{1F600}": 5, "\u{80}": 6, "\u{F6}": 7]
        let text = try value.canonicalText()
        #expect(text == "{\"\\r\":2,\"1\":4,\"\u{80}\":6,\"\u{F6}\":7,\"\u{20AC}\":1,\"\u{1F600}\":5,\"\u{FB33}\":3}")
    }

    @Test func escapesControlCharacters() throws {
        let value: JSONValue = .string("a\"b\\c\u{8}\u{C}\n\r\t\u{1}\u{1F}\u{7F}")
        #expect(try value.canonicalText() == "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\u{7F}\"")
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-1.5, "-1.5"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
        (1e-7, "1e-7"), (0.000001, "0.000001"), (123.456, "123.456"), (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (0.1, "0.1"), (333333333.33333329, "333333333.3333333"),
    ])
    func ecmaScriptNumbers(value: Double, expected: String) {
        #expect(JSONNumberFormatter.ecmaScriptString(value) == expected)
    }

    @Test func rejectsNonFinite() {
        #expect(throws: JSONValue.SerializationError.self) { try JSONValue.array([.number(.nan)]).canonicalBytes() }
    }
}
