/// Serialization of `JSONValue`: RFC 8785 canonical form and an indented human form.
extension JSONValue {
    /// Why a value cannot be serialized.
    public enum SerializationError: Error, Sendable, Hashable {
        /// NaN or an infinity: not representable in JSON (RFC 8785 §3.2.2.3).
        case nonFiniteNumber(path: String)
    }

    /// RFC 8785 (JCS) canonical UTF-8 bytes: no whitespace, members sorted by UTF-16 code
    /// units, ECMAScript number formatting, minimal string escaping.
    public func canonicalBytes() throws(SerializationError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try write(to: &out, indent: nil, depth: 0, path: "$")
        return out
    }

    /// `canonicalBytes()` as a String.
    public func canonicalText() throws(SerializationError) -> String {
        String(decoding: try canonicalBytes(), as: UTF8.self)
    }

    /// Indented (two spaces) text with the canonical member order; numbers and strings as in JCS.
    public func prettyText() throws(SerializationError) -> String {
        var out: [UInt8] = []
        try write(to: &out, indent: 2, depth: 0, path: "$")
        return String(decoding: out, as: UTF8.self)
    }

    /// Sorts member names by their UTF-16 code units (RFC 8785 §3.2.3).
    public static func canonicalOrder(_ keys: some Sequence<String>) -> [String] {
        keys.sorted { a, b in a.utf16.lexicographicallyPrecedes(b.utf16) }
    }

    private func write(to out: inout [UInt8], indent: Int?, depth: Int, path: String) throws(SerializationError) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .integer(let i): out.append(contentsOf: String(i).utf8)
        case .number(let d):
            guard d.isFinite else { throw .nonFiniteNumber(path: path) }
            out.append(contentsOf: JSONNumberFormatter.ecmaScriptString(d).utf8)
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent, depth + 1)
                try element.write(to: &out, indent: indent, depth: depth + 1, path: "\(path)[\(index)]")
            }
            if !elements.isEmpty { Self.newline(&out, indent, depth) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let keys = Self.canonicalOrder(members.keys)
            for (index, key) in keys.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent, depth + 1)
                Self.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                try members[key]!.write(to: &out, indent: indent, depth: depth + 1, path: "\(path).\(key)")
            }
            if !members.isEmpty { Self.newline(&out, indent, depth) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int?, _ depth: Int) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * depth))
    }

    /// RFC 8785 §3.2.2.2: escape `"` `\` and U+0000–U+001F (`\b \t \n \f \r` by name, the rest
    /// as lower-case `\u00xx`); every other code point is written as UTF-8.
    static func writeString(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
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
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
