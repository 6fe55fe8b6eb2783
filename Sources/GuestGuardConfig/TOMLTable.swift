/// A table from a configuration file: its keys in document order, each with the location of the key
/// and its value.
///
/// Produced by ``init(parsing:fileName:limits:)``. The document itself is the root table. Read it with
/// the typed helpers in `TOMLTable+Decoding.swift` and reject keys you do not know with
/// ``requireKnownKeys(_:)``.
public struct TOMLTable: Sendable, Hashable {
    /// One key of the table.
    public struct Entry: Sendable, Hashable {
        public let key: String
        /// Where the key was written (for a table created by a header: the header's key).
        public let keyLocation: SourceLocation
        public let value: ConfigValue

        public init(key: String, keyLocation: SourceLocation, value: ConfigValue) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    /// The table's path from the root; ``ConfigKeyPath/root`` for the document.
    public let keyPath: ConfigKeyPath
    /// Where the table was opened (header, first dotted key, `{`; line 1 column 1 for the document).
    public let location: SourceLocation
    /// Keys in the order they were first written.
    public let entries: [Entry]
    private let indexByKey: [String: Int]

    /// Builds a table from entries with distinct keys (the reader guarantees this).
    public init(keyPath: ConfigKeyPath, location: SourceLocation, entries: [Entry]) {
        var indexByKey: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            precondition(indexByKey.updateValue(index, forKey: entry.key) == nil, "duplicate key \(entry.key)")
        }
        self.keyPath = keyPath
        self.location = location
        self.entries = entries
        self.indexByKey = indexByKey
    }

    /// The keys in document order.
    public var keys: [String] { entries.map(\.key) }

    public var isEmpty: Bool { entries.isEmpty }

    /// The entry for `key`, if present.
    public func entry(_ key: String) -> Entry? {
        indexByKey[key].map { entries[$0] }
    }

    /// The value for `key`, if present.
    public subscript(key: String) -> ConfigValue? {
        entry(key)?.value
    }

    /// Parses a configuration file.
    ///
    /// - Parameters:
    ///   - text: the whole file.
    ///   - fileName: the name used in error messages (for example `policy.toml`).
    ///   - limits: input size and nesting bounds.
    /// - Throws: the first syntax or structure error, with its location.
    public init(parsing text: String, fileName: String, limits: ConfigLimits = .default) throws(ConfigError) {
        let byteCount = text.utf8.count
        guard byteCount <= limits.maximumInputBytes else {
            throw ConfigError(
                location: SourceLocation(fileName: fileName, line: 1, column: 1), keyPath: .root,
                reason: .inputTooLarge(byteCount: byteCount, limit: limits.maximumInputBytes))
        }
        var parser = TOMLParser(bytes: Array(text.utf8), fileName: fileName, limits: limits)
        self = try parser.parseDocument()
    }

    /// Parses a configuration file given as raw bytes, which must be UTF-8.
    ///
    /// - Throws: ``ConfigError/Reason/invalidUTF8`` at the first malformed byte, or any error of
    ///   ``init(parsing:fileName:limits:)``.
    public init(parsingUTF8 bytes: [UInt8], fileName: String, limits: ConfigLimits = .default) throws(ConfigError) {
        guard bytes.count <= limits.maximumInputBytes else {
            throw ConfigError(
                location: SourceLocation(fileName: fileName, line: 1, column: 1), keyPath: .root,
                reason: .inputTooLarge(byteCount: bytes.count, limit: limits.maximumInputBytes))
        }
        var parser = TOMLParser(bytes: bytes, fileName: fileName, limits: limits)
        try parser.validateUTF8()
        self = try parser.parseDocument()
    }
}
