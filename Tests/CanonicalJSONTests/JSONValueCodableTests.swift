import CanonicalJSON
import Testing

@Suite struct JSONValueCodableTests {
    struct Inner: Codable, Equatable {
        var flag: Bool
        var ratio: Double
        var note: String?
    }

    struct Outer: Codable, Equatable {
        enum CodingKeys: String, CodingKey {
            case name, bytes, counts, inner, extra = "extra-params", big, small
        }
        var name: String
        var bytes: [UInt8]
        var counts: [Int32?]
        var inner: Inner
        var extra: JSONValue
        var big: UInt64
        var small: Int8
    }

    static let sample = Outer(
        name: "snp", bytes: [0, 1, 255], counts: [1, nil, -3], inner: Inner(flag: true, ratio: 0.5, note: nil),
        extra: ["supported": ["sha384"], "n": 1.25], big: UInt64(Int64.max), small: -128)

    @Test func encodesToTheExpectedValue() throws {
        let value = try JSONValueEncoder().encode(Self.sample)
        let expected: JSONValue = [
            "name": "snp", "bytes": [0, 1, 255], "counts": [1, nil, -3], "inner": ["flag": true, "ratio": 0.5],
            "extra-params": ["supported": ["sha384"], "n": 1.25], "big": .integer(.max), "small": -128,
        ]
        #expect(value == expected)
    }

    @Test func roundTripsThroughTextAndBack() throws {
        let bytes = try JSONValueEncoder().encode(Self.sample).serializedBytes()
        let decoded = try JSONValueDecoder().decode(Outer.self, from: JSONParser.parse(bytes))
        #expect(decoded == Self.sample)
    }

    @Test func refusesIntegersJSONValueCannotHold() {
        var sample = Self.sample
        sample.big = UInt64(Int64.max) + 1
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(sample) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode([Double.infinity]) }
    }

    static func decodingFailure(_ text: String) throws -> DecodingError {
        try #require(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Outer.self, from: JSONParser.parse(text))
        }
    }

    static func path(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        var keys: [String] = []
        switch error {
        case .keyNotFound(let key, let c):
            context = c
            keys = [key.stringValue]
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): context = c
        @unknown default: return "?"
        }
        return (context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue } + keys).joined(separator: "/")
    }

    static let valid =
        #"{"name":"snp","bytes":[0,1,255],"counts":[1,null,-3],"inner":{"flag":true,"ratio":0.5},"extra-params":"","big":5,"small":1}"#

    @Test(arguments: [
        (#""bytes":[0,1,255]"#, #""bytes":[0,1,256]"#, "bytes/[2]"),
        (#""bytes":[0,1,255]"#, #""bytes":[0,1.0,2]"#, "bytes/[1]"),
        (#""bytes":[0,1,255]"#, #""bytes":"AAE=""#, "bytes"),
        (#""small":1"#, #""small":128"#, "small"),
        (#""big":5"#, #""big":-1"#, "big"),
        (#""big":5"#, #""big":18446744073709551615"#, "big"),
        (#""big":5"#, #""big":"5""#, "big"),
        (#""flag":true"#, #""flag":1"#, "inner/flag"),
        (#""flag":true"#, #""flag":null"#, "inner/flag"),
        (#""flag":true,"#, "", "inner/flag"),
        (#""name":"snp","#, "", "name"),
        (#""name":"snp","#, #""n\u0061me":"snp","#, ""),
        (#""counts":[1,null,-3]"#, #""counts":[1,null,"3"]"#, "counts/[2]"),
    ])
    func reportsTheFailingPath(original: String, replacement: String, path: String) throws {
        let text = Self.valid.replacing(original, with: replacement, maxReplacements: 1)
        if path.isEmpty {
            // An escaped member name is the same name.
            #expect(try JSONValueDecoder().decode(Outer.self, from: JSONParser.parse(text)).name == "snp")
        } else {
            #expect(Self.path(try Self.decodingFailure(text)) == path)
        }
    }

    /// "VCE\u{212A}" (KELVIN SIGN) is canonically equivalent to "VCEK" in Swift, not in JSON.
    @Test func memberNamesMatchByteForByte() throws {
        struct Key: Codable { var VCEK: Int }
        let lookalike = try JSONParser.parse(#"{"VCE\u212a":1}"#)
        #expect(lookalike["VCEK"] != nil)  // Swift's own dictionary lookup is fooled …
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Key.self, from: lookalike) }  // … ours is not
        #expect(try JSONValueDecoder().decode(Key.self, from: ["VCEK": 1]).VCEK == 1)
    }

    @Test func jsonValueRoundTripsAsCodable() throws {
        let value = try JSONParser.parse(#"{"a":[1,2.5,"x",null,true,{"b":[]}]}"#)
        #expect(try JSONValueDecoder().decode(JSONValue.self, from: value) == value)
        #expect(try JSONValueEncoder().encode(value) == value)
        #expect(try JSONValueEncoder().encode(["k": value]) == ["k": value])
    }
}
