import CanonicalJSON
import Testing

/// The parser's and the serializer's short paths for the small integers of byte arrays (SNP
/// evidence): the same values, bytes and errors as the general number path.
@Suite struct SmallIntegerArrayTests {
    static func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }

    /// Every element, in every separator position, equals the same text parsed alone (which never
    /// takes the array short path), and serializes back to its digits.
    @Test func elementsAgreeWithTheGeneralPath() throws {
        let numbers = Array(0...1100).map(String.init) + [
            "123456789012345678", "999999999999999999", "1234567890123456789", "9223372036854775807", "99999999999999999999",
            "-0", "-1", "-255", "1.5", "0.0", "1e3", "1E3", "2e-1", "10.25",
        ]
        for number in numbers {
            let alone = try Self.parse(number)
            let cases: [(String, [JSONValue])] = [
                ("[\(number)]", [alone]), ("[\(number),\(number)]", [alone, alone]), ("[ \(number) ]", [alone]),
                ("[\n\(number)\n]", [alone]), ("[\t\(number)\r\n,1]", [alone, .integer(1)]), ("[0,\(number)]", [.integer(0), alone]),
            ]
            for (text, expected) in cases {
                #expect(try Self.parse(text) == .array(expected), "\(text)")
            }
        }
        for value in Array(Int64(0)...1100) + [9_999, 10_000, 123_456_789, -1, -999] {
            #expect(try JSONValue.array([.integer(value), .integer(value)]).serializedBytes() == Array("[\(value),\(value)]".utf8), "\(value)")
        }
    }

    /// Refusals inside arrays keep their reason and offset.
    @Test(arguments: [
        ("[01]", JSONParseError.Reason.leadingZero, 1),
        ("[1,00]", .leadingZero, 3),
        ("[7", .unexpectedEndOfInput(expected: .commaOrArrayEnd), 2),
        ("[12x]", .unexpectedByte(UInt8(ascii: "x"), expected: .commaOrArrayEnd), 3),
        ("[1.]", .unexpectedByte(UInt8(ascii: "]"), expected: .digit), 3),
        ("[5}", .unexpectedByte(UInt8(ascii: "}"), expected: .commaOrArrayEnd), 2),
    ])
    func refusalsInArrays(text: String, reason: JSONParseError.Reason, offset: Int) {
        #expect { try JSONParser.parse(text) } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.reason == reason && error.offset == offset
        }
    }
}
