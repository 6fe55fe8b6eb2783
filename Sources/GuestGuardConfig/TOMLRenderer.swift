/// Writes TOML text that ``TOMLTable/init(parsing:fileName:limits:)`` reads back to the same values.
///
/// Consumers that show their configuration (`guestguard policy show`) build their file line by line
/// with these helpers; a rendered value always parses back to what was rendered.
public enum TOMLRenderer {
    /// A key as written in a file: bare when it consists only of `A-Za-z0-9_-` (and is not empty),
    /// otherwise a quoted basic string.
    public static func key(_ key: String) -> String {
        if !key.isEmpty && key.utf8.allSatisfy(\.isBareKeyByte) { return key }
        return string(key)
    }

    /// A dotted key path (`report.minimum-tcb`), each key rendered with ``key(_:)``.
    public static func keyPath(_ keys: [String]) -> String {
        keys.map(key).joined(separator: ".")
    }

    /// A basic string: `"` and `\` escaped, control characters as `\b \t \n \f \r` or `\uXXXX`.
    public static func string(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\u{08}": text += "\\b"
            case "\t": text += "\\t"
            case "\n": text += "\\n"
            case "\u{0C}": text += "\\f"
            case "\r": text += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                text += "\\u" + hex(scalar.value, digits: 4)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    /// A decimal integer.
    public static func integer(_ value: some FixedWidthInteger) -> String {
        String(value)
    }

    public static func boolean(_ value: Bool) -> String {
        value ? "true" : "false"
    }

    /// An array of already-rendered elements: on one line when `multiline` is false, otherwise one
    /// element per line, indented four spaces, with a trailing comma.
    public static func array(_ elements: [String], multiline: Bool = false) -> String {
        if elements.isEmpty { return "[]" }
        if !multiline { return "[" + elements.joined(separator: ", ") + "]" }
        return "[\n" + elements.map { "    \($0),\n" }.joined() + "]"
    }

    /// `key = value` with a rendered value.
    public static func assignment(_ key: String, _ renderedValue: String) -> String {
        "\(Self.key(key)) = \(renderedValue)"
    }

    /// `[a.b]`.
    public static func tableHeader(_ keys: [String]) -> String {
        "[\(keyPath(keys))]"
    }

    /// `[[a.b]]`.
    public static func arrayOfTablesHeader(_ keys: [String]) -> String {
        "[[\(keyPath(keys))]]"
    }

    /// `U+001F`: how messages name a Unicode scalar.
    static func scalarName(_ value: UInt32) -> String {
        "U+" + hex(value, digits: 4)
    }

    /// Upper-case hexadecimal, zero-padded to at least `digits`.
    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
