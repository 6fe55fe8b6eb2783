/// Typed reads of a table's keys, for consumers that turn a file into their own types.
///
/// Required keys: `try table.string("resource")`, `try table.integer("retries", in: 0...100)`.
/// Optional keys: the subscript, `try table["resource"]?.string()`. Every consumer calls
/// ``requireKnownKeys(_:)`` on every table it reads, so a misspelt key is an error, not a silent default.
extension TOMLTable {
    /// The value of a required key.
    ///
    /// - Throws: ``ConfigError/Reason/missingKey`` at this table's location.
    public func required(_ key: String) throws(ConfigError) -> ConfigValue {
        guard let value = self[key] else {
            throw ConfigError(location: location, keyPath: keyPath.appending(key), reason: .missingKey)
        }
        return value
    }

    /// Rejects the first key (in document order) that is not in `known`.
    ///
    /// - Throws: ``ConfigError/Reason/unknownKey(known:)`` at the unknown key's location.
    public func requireKnownKeys(_ known: [String]) throws(ConfigError) {
        let knownSet = Set(known)
        for entry in entries where !knownSet.contains(entry.key) {
            throw ConfigError(
                location: entry.keyLocation, keyPath: keyPath.appending(entry.key), reason: .unknownKey(known: known))
        }
    }

    public func string(_ key: String) throws(ConfigError) -> String {
        try required(key).string()
    }

    public func string(_ key: String, oneOf allowed: [String]) throws(ConfigError) -> String {
        try required(key).string(oneOf: allowed)
    }

    public func keyword<Keyword: RawRepresentable & CaseIterable>(
        _ key: String, as type: Keyword.Type
    ) throws(ConfigError) -> Keyword where Keyword.RawValue == String {
        try required(key).keyword(type)
    }

    public func integer<Integer: FixedWidthInteger>(
        _ key: String, in range: ClosedRange<Integer>
    ) throws(ConfigError) -> Integer {
        try required(key).integer(in: range)
    }

    public func integer<Integer: FixedWidthInteger>(_ key: String, as type: Integer.Type) throws(ConfigError) -> Integer {
        try required(key).integer(as: type)
    }

    public func boolean(_ key: String) throws(ConfigError) -> Bool {
        try required(key).boolean()
    }

    public func array(_ key: String) throws(ConfigError) -> [ConfigValue] {
        try required(key).array()
    }

    public func stringArray(_ key: String) throws(ConfigError) -> [String] {
        try required(key).stringArray()
    }

    public func table(_ key: String) throws(ConfigError) -> TOMLTable {
        try required(key).table()
    }

    public func tables(_ key: String) throws(ConfigError) -> [TOMLTable] {
        try required(key).tables()
    }
}
