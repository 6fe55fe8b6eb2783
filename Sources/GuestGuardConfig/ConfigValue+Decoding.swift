/// Typed reads of one value. Each failure is a ``ConfigError`` at this value's location and key path.
extension ConfigValue {
    /// An error about this value.
    public func error(_ reason: ConfigError.Reason) -> ConfigError {
        ConfigError(location: location, keyPath: keyPath, reason: reason)
    }

    /// "expected `expected`, found <this value's type>".
    public func typeMismatch(expected: String) -> ConfigError {
        error(.typeMismatch(expected: expected, found: typeName))
    }

    /// "expected `expected`, found <this value, abbreviated>": for values of the right type that the
    /// consumer still cannot accept (a malformed hex digest, a version string without dots).
    public func invalid(expected: String) -> ConfigError {
        error(.invalidValue(expected: expected, found: summary))
    }

    /// The value as messages show it: strings quoted and cut at 40 characters, numbers and booleans as
    /// written, "an array of 3 elements", "a table".
    public var summary: String {
        switch kind {
        case .string(let text):
            let shown = text.unicodeScalars.count > 40 ? String(text.unicodeScalars.prefix(40)) + "…" : text
            return TOMLRenderer.string(shown)
        case .integer(let value): return String(value)
        case .boolean(let value): return TOMLRenderer.boolean(value)
        case .array(let elements): return elements.count == 1 ? "an array of 1 element" : "an array of \(elements.count) elements"
        case .table: return "a table"
        }
    }

    public func string() throws(ConfigError) -> String {
        guard case .string(let text) = kind else { throw typeMismatch(expected: "a string") }
        return text
    }

    /// A string that must be one of `allowed` (a keyword such as "allow" / "forbid").
    public func string(oneOf allowed: [String]) throws(ConfigError) -> String {
        let text = try string()
        guard allowed.contains(text) else { throw error(.notOneOf(text, allowed: allowed)) }
        return text
    }

    /// A keyword naming one case of a string-backed enumeration; the allowed spellings are the raw values.
    public func keyword<Keyword: RawRepresentable & CaseIterable>(
        _ type: Keyword.Type
    ) throws(ConfigError) -> Keyword where Keyword.RawValue == String {
        let allowed = Keyword.allCases.map(\.rawValue)
        let text = try string(oneOf: allowed)
        guard let keyword = Keyword(rawValue: text) else { throw error(.notOneOf(text, allowed: allowed)) }
        return keyword
    }

    /// An integer within `range`, converted to the range's type. Messages name the range
    /// ("expected an integer 0...255"), or just "an integer" when the range admits every TOML integer.
    public func integer<Integer: FixedWidthInteger>(in range: ClosedRange<Integer>) throws(ConfigError) -> Integer {
        let admitsAll = [Int64.min, Int64.max].allSatisfy { bound in Integer(exactly: bound).map(range.contains) == true }
        let expected = admitsAll ? "an integer" : "an integer \(range.lowerBound)...\(range.upperBound)"
        guard case .integer(let value) = kind else { throw typeMismatch(expected: expected) }
        guard let converted = Integer(exactly: value), range.contains(converted) else {
            throw error(.integerOutOfRange(value, expected: expected))
        }
        return converted
    }

    /// An integer that fits `type` (so `UInt8` means 0...255).
    public func integer<Integer: FixedWidthInteger>(as type: Integer.Type) throws(ConfigError) -> Integer {
        try integer(in: Integer.min...Integer.max)
    }

    public func boolean() throws(ConfigError) -> Bool {
        guard case .boolean(let value) = kind else { throw typeMismatch(expected: "a boolean") }
        return value
    }

    public func array() throws(ConfigError) -> [ConfigValue] {
        guard case .array(let elements) = kind else { throw typeMismatch(expected: "an array") }
        return elements
    }

    /// An array whose elements are all strings.
    public func stringArray() throws(ConfigError) -> [String] {
        var strings: [String] = []
        for element in try array() {
            guard case .string(let text) = element.kind else {
                throw element.typeMismatch(expected: "a string")
            }
            strings.append(text)
        }
        return strings
    }

    /// A table: `[header]`, dotted-key, inline, or one element of an array of tables.
    public func table() throws(ConfigError) -> TOMLTable {
        guard case .table(let table) = kind else { throw typeMismatch(expected: "a table") }
        return table
    }

    /// An array whose elements are all tables (`[[name]]` sections or an array of inline tables).
    public func tables() throws(ConfigError) -> [TOMLTable] {
        var tables: [TOMLTable] = []
        for element in try array() {
            tables.append(try element.table())
        }
        return tables
    }
}
