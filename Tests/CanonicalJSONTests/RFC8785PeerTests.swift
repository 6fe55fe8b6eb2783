import GuestGuardTestSupport
import CanonicalJSON
import Foundation
import Testing

/// Our parse → canonicalize must equal Python's `json` + `rfc8785` (Trail of Bits) byte for byte.
///
/// The peer parses with JavaScript number semantics, which RFC 8785 §3.2.2.3 assumes: integer
/// literals outside ±(2^53−1) become the nearest double (`rfc8785` alone would refuse them).
/// NaN/Infinity literals are rejected by both. Texts either side rejects must be rejected by both.
@Suite struct RFC8785PeerTests {
    static let peer = """
        import json, rfc8785, sys
        def js_int(text):
            value = int(text)
            return value if abs(value) <= 2**53 - 1 else float(text)
        def no_constants(name):
            raise ValueError(name)
        for line in open(sys.argv[1], encoding="utf-8"):
            text = json.loads(line)
            try:
                value = json.loads(text, parse_int=js_int, parse_constant=no_constants)
                print(rfc8785.dumps(value).hex())
            except Exception:
                print("ERROR")
        """

    static let handWritten: [String] = [
        #"{"b":[1,2,3],"a":{"z":null,"y":true,"x":false}}"#,
        #""\u00e9\u20ac\ud83d\ude00\u2028\u2029\u007f\u0000\u001f\u0080""#,
        "\"\u{1D11E}\u{10FFFF}\u{FEFF}\u{E9}e\u{301}\"",
        #"{"\ud83d\ude00":1,"\ufb33":2,"\u20ac":3,"\u00f6":4,"\u0080":5,"1":6,"\r":7,"":8}"#,
        #""\"\\\/\b\f\n\r\t""#,
        "[1e21,1e20,1e-7,1e-6,-0,-0.0,0.0,5e-324,-5e-324,2.2250738585072014e-308]",
        "[9007199254740991,9007199254740992,9007199254740993,-9007199254740993,9007199254740993.0]",
        "[9223372036854775807,9223372036854775808,-9223372036854775809,18446744073709551615]",
        "[100000000000000000000000,123456789012345678901234567890,1e300,1e308,1.7976931348623157e308]",
        "[0.1,0.2,0.30000000000000004,0.3,1.5,-1.5,1E2,1e+2,4.50,2e-3,333333333.33333329]",
        "[1e-400,1e400,NaN]", "[Infinity]", "[-Infinity]",
        #""\ud800""#, #"{"a":"\udc00"}"#,
        "[]", "{}", "[[],{},[{}]]", "true", "null", "\"\"", "0",
        #"{"nested":{"deeper":{"deepest":[1,{"k":"v"}]}}}"#,
    ]

    /// Deterministic pseudo-random doubles (SplitMix64 bit patterns), written with Swift's
    /// shortest round-trip `description` so that both sides parse the same double.
    static func randomNumberTexts(count: Int) -> [String] {
        var state: UInt64 = 0x8785_2020_0000_0001
        var texts: [String] = []
        while texts.count < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let value = Double(bitPattern: z)
            guard value.isFinite else { continue }
            texts.append("[\(value)]")
        }
        return texts
    }

    @Test func canonicalBytesMatchPythonRFC8785() throws {
        let corpus = Self.handWritten + Self.randomNumberTexts(count: 2000)
        let file = PythonPeer.temporaryFile("jcs-corpus")
        defer { try? FileManager.default.removeItem(atPath: file) }
        // One JSON string literal per line so that texts with raw U+2028 etc. survive intact.
        let lines = try corpus.map { try String(decoding: JSONValue.string($0).canonicalBytes(), as: UTF8.self) }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))

        let peerOutput = try PythonPeer.run(Self.peer, arguments: [file]).split(separator: "\n").map(String.init)
        try #require(peerOutput.count == corpus.count)
        var rejectedByBoth = 0
        for (text, expected) in zip(corpus, peerOutput) {
            let ours: String
            do {
                ours = try JSONParser.parse(text).canonicalBytes().map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            } catch {
                ours = "ERROR"
                rejectedByBoth += expected == "ERROR" ? 1 : 0
            }
            #expect(ours == expected, "canonical form of \(text)")
        }
        // The NaN/Infinity/1e400 and lone-surrogate texts must be among the rejections.
        #expect(rejectedByBoth == 5)
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
