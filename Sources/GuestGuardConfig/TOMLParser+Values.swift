/// Values: arrays, inline tables, booleans and integers (strings are in `TOMLParser+Strings.swift`).
extension TOMLParser {
    mutating func parseValue(_ keyPath: ConfigKeyPath) throws(ConfigError) -> ConfigValue {
        let location = cursor.location()
        try checkDepth(keyPath, at: location)
        let kind: ConfigValue.Kind
        switch cursor.peek() {
        case UInt8(ascii: "\""):
            kind = .string(cursor.hasPrefix("\"\"\"") ? try parseMultilineBasicString(keyPath) : try parseBasicString(keyPath))
        case UInt8(ascii: "'"):
            kind = .string(cursor.hasPrefix("'''") ? try parseMultilineLiteralString(keyPath) : try parseLiteralString(keyPath))
        case UInt8(ascii: "["):
            kind = .array(try parseArray(keyPath))
        case UInt8(ascii: "{"):
            kind = .table(try parseInlineTable(keyPath, location: location))
        case let byte? where byte.isScalarTokenByte:
            kind = try parseScalarToken(keyPath, location: location)
        default:
            throw unexpected("a value", keyPath)
        }
        return ConfigValue(kind: kind, location: location, keyPath: keyPath)
    }

    // MARK: Arrays and inline tables

    /// `[ v, v, ]`: may span lines, hold comments and end with a comma.
    private mutating func parseArray(_ keyPath: ConfigKeyPath) throws(ConfigError) -> [ConfigValue] {
        cursor.advance()
        var elements: [ConfigValue] = []
        while true {
            try skipArrayTrivia(keyPath)
            if cursor.peek() == UInt8(ascii: "]") { break }
            elements.append(try parseValue(keyPath.appending(index: elements.count)))
            try skipArrayTrivia(keyPath)
            if cursor.peek() == UInt8(ascii: ",") {
                cursor.advance()
            } else if cursor.peek() != UInt8(ascii: "]") {
                throw unexpected("\",\" or \"]\"", keyPath)
            }
        }
        cursor.advance()
        return elements
    }

    /// Spaces, comments and line breaks between array elements.
    private mutating func skipArrayTrivia(_ keyPath: ConfigKeyPath) throws(ConfigError) {
        while true {
            cursor.skipWhitespace()
            if cursor.peek() == UInt8(ascii: "#") { try skipComment() }
            if !cursor.consumeNewline() { return }
        }
    }

    /// `{ k = v, a.b = v }` on one line, without a trailing comma. Once closed it is a value: no header
    /// or dotted key may add to it.
    private mutating func parseInlineTable(
        _ keyPath: ConfigKeyPath, location: SourceLocation
    ) throws(ConfigError) -> TOMLTable {
        cursor.advance()
        let node = TableNode(origin: .header, keyPath: keyPath, location: location)
        cursor.skipWhitespace()
        if cursor.peek() == UInt8(ascii: "}") {
            cursor.advance()
            return node.freeze()
        }
        while true {
            if cursor.isAtNewline { throw error(.newlineInInlineTable, at: cursor.location(), keyPath) }
            try parseKeyValue(into: node)
            cursor.skipWhitespace()
            switch cursor.peek() {
            case UInt8(ascii: ","):
                cursor.advance()
                cursor.skipWhitespace()
                if cursor.peek() == UInt8(ascii: "}") {
                    throw error(.trailingCommaInInlineTable, at: cursor.location(), keyPath)
                }
            case UInt8(ascii: "}"):
                cursor.advance()
                return node.freeze()
            default:
                if cursor.isAtNewline { throw error(.newlineInInlineTable, at: cursor.location(), keyPath) }
                throw unexpected("\",\" or \"}\"", keyPath)
            }
        }
    }

    // MARK: Booleans and integers

    /// Reads a run of bare characters and decides what it is: `true`, `false`, an integer, or one of
    /// TOML's types outside the subset (floats, dates and times, octal and binary integers).
    private mutating func parseScalarToken(
        _ keyPath: ConfigKeyPath, location: SourceLocation
    ) throws(ConfigError) -> ConfigValue.Kind {
        let start = cursor.index
        while let byte = cursor.peek(), byte.isScalarTokenByte { cursor.advance() }
        let token = cursor.bytes[start..<cursor.index]
        let text = String(decoding: token, as: UTF8.self)
        func fail(_ reason: ConfigError.Reason) -> ConfigError { error(reason, at: location, keyPath) }

        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        let hasSign = token.first == UInt8(ascii: "+") || token.first == UInt8(ascii: "-")
        let unsigned = hasSign ? token.dropFirst() : token[...]
        switch (unsigned.first, unsigned.dropFirst().first) {
        case (UInt8(ascii: "0"), UInt8(ascii: "x")):
            if hasSign { throw fail(.invalidInteger(text)) }
            return .integer(try parseDigits(unsigned.dropFirst(2), radix: 16, negative: false, text: text, fail))
        case (UInt8(ascii: "0"), UInt8(ascii: "o")):
            throw fail(.unsupported("octal integers"))
        case (UInt8(ascii: "0"), UInt8(ascii: "b")):
            throw fail(.unsupported("binary integers"))
        default:
            break
        }
        if token.contains(UInt8(ascii: ":")) || token.looksLikeDate {
            throw fail(.unsupported("dates and times"))
        }
        if unsigned.elementsEqual("inf".utf8) || unsigned.elementsEqual("nan".utf8) {
            throw fail(.unsupported("floating-point numbers"))
        }
        guard let first = unsigned.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
            throw fail(.unexpected(expected: "a value", found: "\"\(text)\""))
        }
        if unsigned.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            throw fail(.unsupported("floating-point numbers"))
        }
        let negative = token.first == UInt8(ascii: "-")
        let value = try parseDigits(unsigned, radix: 10, negative: negative, text: text, fail)
        if unsigned.count > 1 && first == UInt8(ascii: "0") { throw fail(.leadingZero(text)) }
        return .integer(value)
    }

    /// Digits in `radix` with `_` allowed only between two digits, into a 64-bit signed integer.
    private func parseDigits(
        _ digits: ArraySlice<UInt8>, radix: UInt64, negative: Bool, text: String,
        _ fail: (ConfigError.Reason) -> ConfigError
    ) throws(ConfigError) -> Int64 {
        guard !digits.isEmpty else { throw fail(.invalidInteger(text)) }
        var magnitude: UInt64 = 0
        var previousWasDigit = false
        var overflow = false
        for byte in digits {
            if byte == UInt8(ascii: "_") {
                guard previousWasDigit else { throw fail(.invalidInteger(text)) }
                previousWasDigit = false
                continue
            }
            guard let digit = byte.digitValue, UInt64(digit) < radix else { throw fail(.invalidInteger(text)) }
            let (shifted, o1) = magnitude.multipliedReportingOverflow(by: radix)
            let (sum, o2) = shifted.addingReportingOverflow(UInt64(digit))
            overflow = overflow || o1 || o2
            magnitude = sum
            previousWasDigit = true
        }
        guard previousWasDigit else { throw fail(.invalidInteger(text)) }
        let limit = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        if overflow || magnitude > limit { throw fail(.integerOverflow(text)) }
        return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
    }
}

extension UInt8 {
    /// Characters that can appear in a bare value token: letters, digits, `_ + - . :`.
    var isScalarTokenByte: Bool {
        isBareKeyByte || self == UInt8(ascii: "+") || self == UInt8(ascii: ".") || self == UInt8(ascii: ":")
    }

    /// The value of a hexadecimal digit (either case), or nil.
    var digitValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return self - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension ArraySlice<UInt8> {
    /// `dddd-dd…`: the start of a TOML local date.
    var looksLikeDate: Bool {
        let bytes = Array(self.prefix(5))
        guard bytes.count == 5, bytes[4] == UInt8(ascii: "-") else { return false }
        return bytes[0..<4].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
