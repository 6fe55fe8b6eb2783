/// Serialization of `JSONValue`: RFC 8785 canonical form, a compact wire form and an indented
/// human form. All three sort members by UTF-16 code units and escape strings as RFC 8785 does.
extension JSONValue {
    /// Why a value cannot be serialized.
    public enum SerializationError: Error, Sendable, Hashable, CustomStringConvertible {
        /// NaN or an infinity at `path` (e.g. `$.a[2]`): not representable in JSON (RFC 8785 §3.2.2.3).
        case nonFiniteNumber(path: String)

        public var description: String {
            switch self {
            case .nonFiniteNumber(let path): return "non-finite number at \(path) cannot be serialized as JSON"
            }
        }
    }

    /// RFC 8785 (JCS) canonical UTF-8 bytes: no whitespace, members sorted by UTF-16 code
    /// units, minimal string escaping, and every number written as ECMAScript writes the
    /// IEEE 754 double it denotes (RFC 8785 §3.2.2.3).
    ///
    /// That includes `.integer`: values within ±(2^53−1) print as their digits, larger ones are
    /// first rounded to the nearest double (`.integer(9007199254740993)` → `9007199254740992`,
    /// `.integer(Int64.max)` → `9223372036854776000`). This is what serde_json_canonicalizer
    /// (used by Trustee and guest-components) does; Python's `rfc8785` refuses such integers.
    public func canonicalBytes() throws(SerializationError) -> [UInt8] {
        var writer = Writer(style: .canonical)
        try writer.write(self)
        return writer.output
    }

    /// `canonicalBytes()` as a String.
    public func canonicalText() throws(SerializationError) -> String {
        String(decoding: try canonicalBytes(), as: UTF8.self)
    }

    /// Compact bytes for the wire: the canonical layout, except that `.integer` is always
    /// written exactly (`.integer(Int64.max)` → `9223372036854775807`). Use this for messages a
    /// peer decodes into 64-bit integers (e.g. SNP evidence `policy`); use `canonicalBytes()`
    /// for anything that is hashed or signed.
    public func serializedBytes() throws(SerializationError) -> [UInt8] {
        var writer = Writer(style: .compact)
        try writer.write(self)
        return writer.output
    }

    /// Indented (two spaces) text with the canonical member order; integers exact.
    public func prettyText() throws(SerializationError) -> String {
        var writer = Writer(style: .pretty(indent: 2))
        try writer.write(self)
        return String(decoding: writer.output, as: UTF8.self)
    }

    /// Sorts member names by their UTF-16 code units (RFC 8785 §3.2.3).
    public static func canonicalOrder(_ keys: some Sequence<String>) -> [String] {
        keys.sorted { a, b in a.utf16.lexicographicallyPrecedes(b.utf16) }
    }

    /// RFC 8785 §3.2.2.2: escape `"` `\` and U+0000–U+001F (`\b \t \n \f \r` by name, the rest
    /// as lower-case `\u00xx`); every other code point is written as UTF-8.
    public static func writeString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        func hex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
        for byte in string.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x00..<0x20:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex(byte >> 4), hex(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// One serialization pass. The path of the current value is kept as components and only
    /// rendered when an error is thrown.
    private struct Writer {
        enum Style: Equatable {
            case canonical
            case compact
            case pretty(indent: Int)
        }

        enum PathComponent {
            case member(String)
            case element(Int)
        }

        let style: Style
        var output: [UInt8] = []
        var path: [PathComponent] = []

        init(style: Style) {
            self.style = style
            output.reserveCapacity(256)
        }

        /// Largest magnitude for which an Int64 and its double print the same digits.
        static let maxSafeInteger: Int64 = (1 << 53) - 1

        mutating func write(_ value: JSONValue) throws(SerializationError) {
            switch value {
            case .null: output.append(contentsOf: "null".utf8)
            case .bool(let b): output.append(contentsOf: (b ? "true" : "false").utf8)
            case .integer(let i):
                if style == .canonical && (i > Self.maxSafeInteger || i < -Self.maxSafeInteger) {
                    output.append(contentsOf: JSONNumberFormatter.ecmaScriptString(Double(i)).utf8)
                } else if i >= 0 && i < 1000 {
                    // Byte arrays (SNP evidence) are thousands of these: digits without a String.
                    if i >= 100 { output.append(UInt8(ascii: "0") + UInt8(i / 100)) }
                    if i >= 10 { output.append(UInt8(ascii: "0") + UInt8(i / 10 % 10)) }
                    output.append(UInt8(ascii: "0") + UInt8(i % 10))
                } else {
                    output.append(contentsOf: String(i).utf8)
                }
            case .number(let d):
                guard d.isFinite else { throw .nonFiniteNumber(path: renderedPath()) }
                output.append(contentsOf: JSONNumberFormatter.ecmaScriptString(d).utf8)
            case .string(let s): JSONValue.writeString(s, to: &output)
            case .array(let elements):
                output.append(UInt8(ascii: "["))
                for (index, element) in elements.enumerated() {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    newline(depth: path.count + 1)
                    path.append(.element(index))
                    try write(element)
                    path.removeLast()
                }
                if !elements.isEmpty { newline(depth: path.count) }
                output.append(UInt8(ascii: "]"))
            case .object(let members):
                output.append(UInt8(ascii: "{"))
                for (index, key) in JSONValue.canonicalOrder(members.keys).enumerated() {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    newline(depth: path.count + 1)
                    JSONValue.writeString(key, to: &output)
                    output.append(UInt8(ascii: ":"))
                    if case .pretty = style { output.append(UInt8(ascii: " ")) }
                    path.append(.member(key))
                    try write(members[key]!)
                    path.removeLast()
                }
                if !members.isEmpty { newline(depth: path.count) }
                output.append(UInt8(ascii: "}"))
            }
        }

        mutating func newline(depth: Int) {
            guard case .pretty(let indent) = style else { return }
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * depth))
        }

        func renderedPath() -> String {
            var text = "$"
            for component in path {
                switch component {
                case .member(let key): text += "." + key
                case .element(let index): text += "[\(index)]"
                }
            }
            return text
        }
    }
}
