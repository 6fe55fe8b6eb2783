import CanonicalJSON

/// Reads typed members out of untrusted LUKS2 metadata, recording a violation (with the path)
/// for every missing or mistyped member instead of failing.
struct LUKS2FieldReader {
    private(set) var violations: [LUKS2HeaderViolation] = []

    mutating func record(_ violation: LUKS2HeaderViolation) { violations.append(violation) }

    mutating func object(_ value: JSONValue?, at path: String) -> [String: JSONValue]? {
        guard let value else { record(.missing(path: path)); return nil }
        guard let members = value.objectValue else { record(.wrongShape(path: path, expected: "an object", found: Self.describe(value))); return nil }
        return members
    }

    mutating func string(_ value: JSONValue?, at path: String) -> String? {
        guard let value else { record(.missing(path: path)); return nil }
        guard let text = value.stringValue else { record(.wrongShape(path: path, expected: "a string", found: Self.describe(value))); return nil }
        return text
    }

    /// A JSON integer ≥ 0 (libcryptsetup writes key sizes, iterations and argon2 costs this way).
    mutating func integer(_ value: JSONValue?, at path: String) -> Int64? {
        guard let value else { record(.missing(path: path)); return nil }
        guard case .integer(let number) = value, number >= 0 else {
            record(.wrongShape(path: path, expected: "a non-negative integer", found: Self.describe(value)))
            return nil
        }
        return number
    }

    /// A decimal string (libcryptsetup writes offsets and sizes as strings: `"offset":"32768"`),
    /// digits only, fitting Int64.
    mutating func decimal(_ value: JSONValue?, at path: String) -> Int64? {
        guard let value else { record(.missing(path: path)); return nil }
        guard let text = value.stringValue, let number = Self.parseDecimal(text) else {
            record(.wrongShape(path: path, expected: "a decimal string", found: Self.describe(value)))
            return nil
        }
        return number
    }

    /// An array of strings (keyslot and segment ids in digests and tokens).
    mutating func stringArray(_ value: JSONValue?, at path: String) -> [String]? {
        guard let value else { record(.missing(path: path)); return nil }
        guard let elements = value.arrayValue else { record(.wrongShape(path: path, expected: "an array", found: Self.describe(value))); return nil }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            guard let text = element.stringValue else {
                record(.wrongShape(path: "\(path).\(index)", expected: "a string", found: Self.describe(element)))
                return nil
            }
            strings.append(text)
        }
        return strings
    }

    static func parseDecimal(_ text: String) -> Int64? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count <= 19 else { return nil }
        var number: Int64 = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflow1) = number.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            number = sum
        }
        return number
    }

    /// Object member ids in numeric order (LUKS2 ids are decimal strings), others after them by name.
    static func sortedIDs(_ members: [String: JSONValue]) -> [String] {
        members.keys.sorted { a, b in
            switch (parseDecimal(a), parseDecimal(b)) {
            case (let x?, let y?): x < y
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): a < b
            }
        }
    }

    /// A short description of a value for violations: its JSON type and, for scalars, the value (at most 64 characters).
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return "boolean \(flag)"
        case .integer(let number): return "integer \(number)"
        case .number(let number): return "number \(number)"
        case .string(let text):
            let shown = text.count > 64 ? String(text.prefix(64)) + "…" : text
            return "string \"\(shown)\""
        case .array(let elements): return "an array of \(elements.count)"
        case .object(let members): return "an object of \(members.count) members"
        }
    }
}
