/// The reader: a recursive-descent parser over UTF-8 bytes for guestguard's TOML subset.
///
/// This file handles the document's structure (lines, headers, keys and where values go);
/// `TOMLParser+Values.swift` and `TOMLParser+Strings.swift` read values.
struct TOMLParser {
    var cursor: TOMLCursor
    let limits: ConfigLimits
    let root: TableNode
    /// The table that `key = value` lines go into: the root, or the last header's table.
    private var current: TableNode

    init(bytes: [UInt8], fileName: String, limits: ConfigLimits) {
        cursor = TOMLCursor(bytes: bytes, fileName: fileName)
        self.limits = limits
        root = TableNode(
            origin: .root, keyPath: .root, location: SourceLocation(fileName: fileName, line: 1, column: 1))
        current = root
    }

    // MARK: Errors

    func error(_ reason: ConfigError.Reason, at location: SourceLocation, _ keyPath: ConfigKeyPath) -> ConfigError {
        ConfigError(location: location, keyPath: keyPath, reason: reason)
    }

    /// "expected …, found <current character>" at the current position. A stray control character or
    /// carriage return gets its own, more precise reason.
    mutating func unexpected(_ expected: String, _ keyPath: ConfigKeyPath) -> ConfigError {
        if let byte = cursor.peek() {
            if byte == 0x0D && cursor.peek(1) != 0x0A {
                return error(.bareCarriageReturn, at: cursor.location(), keyPath)
            }
            if byte.isTOMLControl && byte != 0x0A && byte != 0x0D {
                return error(.controlCharacter(byte), at: cursor.location(), keyPath)
            }
        }
        return error(.unexpected(expected: expected, found: cursor.describeCurrent()), at: cursor.location(), keyPath)
    }

    /// Throws ``ConfigError/Reason/nestingTooDeep(limit:)`` if `keyPath` is deeper than the limit.
    func checkDepth(_ keyPath: ConfigKeyPath, at location: SourceLocation) throws(ConfigError) {
        if keyPath.depth > limits.maximumNestingDepth {
            throw error(.nestingTooDeep(limit: limits.maximumNestingDepth), at: location, keyPath)
        }
    }

    // MARK: Document

    mutating func parseDocument() throws(ConfigError) -> TOMLTable {
        if cursor.hasPrefix("\u{FEFF}") {
            throw error(.byteOrderMark, at: cursor.location(), .root)
        }
        while true {
            cursor.skipWhitespace()
            guard let byte = cursor.peek() else { break }
            switch byte {
            case UInt8(ascii: "#"), 0x0A, 0x0D:
                break
            case UInt8(ascii: "["):
                try parseHeader()
            default:
                try parseKeyValue(into: current)
            }
            try finishLine(current.keyPath)
        }
        return root.freeze()
    }

    /// After a statement: optional spaces and a comment, then a line break or the end of input.
    private mutating func finishLine(_ keyPath: ConfigKeyPath) throws(ConfigError) {
        cursor.skipWhitespace()
        if cursor.peek() == UInt8(ascii: "#") { try skipComment() }
        if cursor.isAtEnd || cursor.consumeNewline() { return }
        throw unexpected("end of line", keyPath)
    }

    /// Skips `#` and the rest of the line (not the line break). Comments may hold any character except
    /// control characters other than tab.
    mutating func skipComment() throws(ConfigError) {
        cursor.advance()
        while let byte = cursor.peek(), !cursor.isAtNewline {
            if byte.isTOMLControl { throw unexpected("end of comment", .root) }
            cursor.advance()
        }
    }

    // MARK: Headers

    /// `[a.b]` or `[[a.b]]`: finds or creates the table and makes it current.
    private mutating func parseHeader() throws(ConfigError) {
        let headerLocation = cursor.location()
        cursor.advance()
        let isArray = cursor.peek() == UInt8(ascii: "[")
        if isArray { cursor.advance() }
        cursor.skipWhitespace()
        let keys = try parseKey(root.keyPath)
        cursor.skipWhitespace()
        for _ in 0..<(isArray ? 2 : 1) {
            guard cursor.peek() == UInt8(ascii: "]") else {
                throw unexpected(isArray ? "\"]]\"" : "\"]\"", keyPath(of: keys))
            }
            cursor.advance()
        }

        var node = root
        for key in keys.dropLast() {
            node = try headerParent(key, in: node, headerLocation: headerLocation)
        }
        let (key, keyLocation) = keys[keys.count - 1]
        let path = node.keyPath.appending(key)
        try checkDepth(path, at: keyLocation)
        current = try isArray
            ? appendArrayElement(key, keyLocation: keyLocation, in: node, headerLocation: headerLocation)
            : defineTable(key, keyLocation: keyLocation, in: node, headerLocation: headerLocation)
    }

    /// The table a header's non-final key leads into, created implicitly when absent. Enters the last
    /// element of an array of tables, like TOML does.
    private func headerParent(
        _ key: (String, SourceLocation), in node: TableNode, headerLocation: SourceLocation
    ) throws(ConfigError) -> TableNode {
        let path = node.keyPath.appending(key.0)
        guard let member = node.member(key.0) else {
            try checkDepth(path, at: key.1)
            let table = TableNode(origin: .implicit, keyPath: path, location: headerLocation)
            node.add(key.0, keyLocation: key.1, slot: .table(table))
            return table
        }
        switch member.slot {
        case .table(let table):
            return table
        case .tableArray(let array):
            return array.elements[array.elements.count - 1]
        case .value:
            throw error(.notATable(foundType: member.slot.typeName, line: member.keyLocation.line), at: key.1, path)
        }
    }

    private func defineTable(
        _ key: String, keyLocation: SourceLocation, in node: TableNode, headerLocation: SourceLocation
    ) throws(ConfigError) -> TableNode {
        let path = node.keyPath.appending(key)
        guard let member = node.member(key) else {
            let table = TableNode(origin: .header, keyPath: path, location: headerLocation)
            node.add(key, keyLocation: keyLocation, slot: .table(table))
            return table
        }
        switch member.slot {
        case .table(let table) where table.origin == .implicit:
            table.origin = .header
            table.location = headerLocation
            return table
        case .table(let table):
            throw error(.tableRedefined(firstLine: table.location.line), at: keyLocation, path)
        case .tableArray(let array):
            throw error(.arrayOfTablesConflict(line: array.location.line), at: keyLocation, path)
        case .value:
            throw error(.duplicateKey(firstLine: member.keyLocation.line), at: keyLocation, path)
        }
    }

    private func appendArrayElement(
        _ key: String, keyLocation: SourceLocation, in node: TableNode, headerLocation: SourceLocation
    ) throws(ConfigError) -> TableNode {
        let path = node.keyPath.appending(key)
        let array: TableArrayNode
        if let member = node.member(key) {
            guard case .tableArray(let existing) = member.slot else {
                throw error(.arrayOfTablesConflict(line: member.slot.line), at: keyLocation, path)
            }
            array = existing
        } else {
            array = TableArrayNode(keyPath: path, location: headerLocation)
            node.add(key, keyLocation: keyLocation, slot: .tableArray(array))
        }
        let elementPath = path.appending(index: array.elements.count)
        try checkDepth(elementPath, at: keyLocation)
        let element = TableNode(origin: .arrayElement, keyPath: elementPath, location: headerLocation)
        array.elements.append(element)
        return element
    }

    // MARK: Keys and key/value pairs

    /// A dotted key: simple keys (bare, "basic" or 'literal') separated by `.` with optional spaces.
    mutating func parseKey(_ tablePath: ConfigKeyPath) throws(ConfigError) -> [(String, SourceLocation)] {
        var keys: [(String, SourceLocation)] = []
        while true {
            let location = cursor.location()
            let key: String
            switch cursor.peek() {
            case UInt8(ascii: "\""):
                if cursor.hasPrefix("\"\"\"") { throw error(.multilineStringKey, at: location, tablePath) }
                key = try parseBasicString(tablePath)
            case UInt8(ascii: "'"):
                if cursor.hasPrefix("'''") { throw error(.multilineStringKey, at: location, tablePath) }
                key = try parseLiteralString(tablePath)
            case let byte? where byte.isBareKeyByte:
                let start = cursor.index
                while let next = cursor.peek(), next.isBareKeyByte { cursor.advance() }
                key = String(decoding: cursor.bytes[start..<cursor.index], as: UTF8.self)
            default:
                throw unexpected("a key", tablePath)
            }
            keys.append((key, location))
            cursor.skipWhitespace()
            guard cursor.peek() == UInt8(ascii: ".") else { return keys }
            cursor.advance()
            cursor.skipWhitespace()
        }
    }

    /// `key = value` into `table`, creating the dotted key's intermediate tables.
    mutating func parseKeyValue(into table: TableNode) throws(ConfigError) {
        let keys = try parseKey(table.keyPath)
        var node = table
        for (key, keyLocation) in keys.dropLast() {
            let path = node.keyPath.appending(key)
            guard let member = node.member(key) else {
                try checkDepth(path, at: keyLocation)
                let created = TableNode(origin: .dotted, keyPath: path, location: keyLocation)
                node.add(key, keyLocation: keyLocation, slot: .table(created))
                node = created
                continue
            }
            switch member.slot {
            case .table(let existing) where existing.origin == .dotted:
                node = existing
            case .table(let existing):
                throw error(.dottedKeyExtendsTable(line: existing.location.line), at: keyLocation, path)
            case .tableArray, .value:
                throw error(
                    .notATable(foundType: member.slot.typeName, line: member.keyLocation.line), at: keyLocation, path)
            }
        }
        let (key, keyLocation) = keys[keys.count - 1]
        let path = node.keyPath.appending(key)
        if let member = node.member(key) {
            throw error(.duplicateKey(firstLine: member.keyLocation.line), at: keyLocation, path)
        }
        cursor.skipWhitespace()
        guard cursor.peek() == UInt8(ascii: "=") else { throw unexpected("\"=\" after the key", path) }
        cursor.advance()
        cursor.skipWhitespace()
        let value = try parseValue(path)
        node.add(key, keyLocation: keyLocation, slot: .value(value))
    }

    private func keyPath(of keys: [(String, SourceLocation)]) -> ConfigKeyPath {
        ConfigKeyPath(keys.map { .key($0.0) })
    }
}

extension UInt8 {
    /// A–Z, a–z, 0–9, `_`, `-`: the characters of a bare key.
    var isBareKeyByte: Bool {
        (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A) || (self >= 0x30 && self <= 0x39)
            || self == UInt8(ascii: "_") || self == UInt8(ascii: "-")
    }

    /// A control character TOML never allows in text: U+0000–U+001F except tab, and U+007F.
    /// Line feeds count too; callers that accept a line break check for it first.
    var isTOMLControl: Bool {
        (self < 0x20 && self != 0x09) || self == 0x7F
    }
}
