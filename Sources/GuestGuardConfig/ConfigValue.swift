/// One value from a configuration file, with where it was written.
///
/// The typed accessors (`string()`, `integer(in:)`, …) live in `ConfigValue+Decoding.swift`; each
/// failure names this value's ``location`` and ``keyPath``.
public struct ConfigValue: Sendable, Hashable {
    /// The value itself. TOML's other types (floats, dates and times) are rejected by the reader.
    public enum Kind: Sendable, Hashable {
        case string(String)
        /// Every TOML integer is a 64-bit signed integer.
        case integer(Int64)
        case boolean(Bool)
        /// A static array (`[1, 2]`) or an array of tables (`[[brokers]]`), in document order.
        case array([ConfigValue])
        /// A `[table]`, a table created by dotted keys, an inline table, or one `[[array]]` element.
        case table(TOMLTable)
    }

    public let kind: Kind
    /// Where the value starts (for tables: the header or the first key that created them).
    public let location: SourceLocation
    /// The value's path from the document root.
    public let keyPath: ConfigKeyPath

    public init(kind: Kind, location: SourceLocation, keyPath: ConfigKeyPath) {
        self.kind = kind
        self.location = location
        self.keyPath = keyPath
    }

    /// The type's name as used in messages: "string", "integer", "boolean", "array", "table".
    public var typeName: String {
        switch kind {
        case .string: return "string"
        case .integer: return "integer"
        case .boolean: return "boolean"
        case .array: return "array"
        case .table: return "table"
        }
    }
}
