import CanonicalJSON
import Testing

@Suite struct JSONValueSerializationTests {
    /// RFC 8785 §3.2.3, the sorting example.
    @Test func sortsMembersByUTF16CodeUnits() throws {
        let text = """
            {"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",
             "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",
             "\\u00f6": "Latin Small Letter O With Diaeresis"}
            """
        let keys = try JSONParser.parse(text).canonicalText().split(separator: ",").map { $0.split(separator: ":")[0] }
        #expect(keys == ["{\"\\r\"", "\"1\"", "\"\u{80}\"", "\"\u{F6}\"", "\"\u{20AC}\"", "\"\u{1F600}\"", "\"\u{FB33}\""])
    }

    /// RFC 8785 §3.2.4, the complete example (input text → canonical bytes).
    @Test func rfc8785Example() throws {
        let text = #"""
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """#
        let expected = #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        #expect(try JSONParser.parse(text).canonicalText() == expected)
    }

    /// RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
    @Test(arguments: [
        (0x0000_0000_0000_0000, "0"), (0x8000_0000_0000_0000, "0"), (0x0000_0000_0000_0001, "5e-324"),
        (0x8000_0000_0000_0001, "-5e-324"), (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"),
        (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"), (0x4340_0000_0000_0000, "9007199254740992"),
        (0xC340_0000_0000_0000, "-9007199254740992"), (0x4430_0000_0000_0000, "295147905179352830000"),
        (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"), (0x44B5_2D02_C7E1_4AF6, "1e+23"),
        (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"), (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"),
        (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"), (0x444B_1AE4_D6E2_EF50, "1e+21"),
        (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"), (0x3EB0_C6F7_A0B5_ED8D, "0.000001"),
        (0x41B3_DE43_5555_5553, "333333333.3333332"), (0x41B3_DE43_5555_5554, "333333333.33333325"),
        (0x41B3_DE43_5555_5555, "333333333.3333333"), (0x41B3_DE43_5555_5556, "333333333.3333334"),
        (0x41B3_DE43_5555_5557, "333333333.33333343"), (0xBECB_F647_612F_3696, "-0.0000033333333333333333"),
        (0x4314_3FF3_C1CB_0959, "1424953923781206.2"),
    ] as [(UInt64, String)])
    func appendixBNumbers(bits: UInt64, expected: String) throws {
        #expect(try JSONValue.number(Double(bitPattern: bits)).canonicalText() == expected)
    }

    @Test(arguments: [0x7FF8_0000_0000_0000, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000] as [UInt64])
    func rejectsNonFinite(bits: UInt64) {
        let value: JSONValue = ["a": [1, .number(Double(bitPattern: bits))]]
        #expect(throws: JSONValue.SerializationError.nonFiniteNumber(path: "$.a[1]")) { try value.canonicalBytes() }
        #expect(throws: JSONValue.SerializationError.nonFiniteNumber(path: "$.a[1]")) { try value.serializedBytes() }
    }

    @Test func escapesControlCharactersOnly() throws {
        let value: JSONValue = .string("a\"b\\c\u{8}\u{C}\n\r\t\u{1}\u{1F}\u{7F}\u{2028}/")
        #expect(try value.canonicalText() == "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\u{7F}\u{2028}/\"")
    }

    /// Integers beyond ±(2^53−1) are doubles in JCS (as serde_json_canonicalizer writes them),
    /// but exact in the wire form.
    @Test(arguments: [
        (Int64(9_007_199_254_740_991), "9007199254740991", "9007199254740991"),
        (Int64(9_007_199_254_740_993), "9007199254740992", "9007199254740993"),
        (Int64(-9_007_199_254_740_993), "-9007199254740992", "-9007199254740993"),
        (Int64.max, "9223372036854776000", "9223372036854775807"),
        (Int64.min, "-9223372036854776000", "-9223372036854775808"),
    ])
    func largeIntegers(value: Int64, canonical: String, wire: String) throws {
        #expect(try JSONValue.integer(value).canonicalText() == canonical)
        #expect(try String(decoding: JSONValue.integer(value).serializedBytes(), as: UTF8.self) == wire)
    }

    @Test func wireFormIsCompactAndSorted() throws {
        let value: JSONValue = ["b": [1, 2.5, nil], "a": ["y": true, "x": "é"]]
        #expect(try String(decoding: value.serializedBytes(), as: UTF8.self) == #"{"a":{"x":"é","y":true},"b":[1,2.5,null]}"#)
        #expect(try value.prettyText() == "{\n  \"a\": {\n    \"x\": \"é\",\n    \"y\": true\n  },\n  \"b\": [\n    1,\n    2.5,\n    null\n  ]\n}")
    }
}
