/// Strings: "basic", 'literal', and their multi-line forms.
extension TOMLParser {
    /// `"…"` on one line, with escapes.
    mutating func parseBasicString(_ keyPath: ConfigKeyPath) throws(ConfigError) -> String {
        try parseSingleLine(quote: UInt8(ascii: "\""), escapes: true, keyPath)
    }

    /// `'…'` on one line, taken as written.
    mutating func parseLiteralString(_ keyPath: ConfigKeyPath) throws(ConfigError) -> String {
        try parseSingleLine(quote: UInt8(ascii: "'"), escapes: false, keyPath)
    }

    /// The shared loop of both single-line forms: up to the closing `quote`, which must come before the
    /// end of the line.
    private mutating func parseSingleLine(
        quote: UInt8, escapes: Bool, _ keyPath: ConfigKeyPath
    ) throws(ConfigError) -> String {
        let opening = cursor.location()
        cursor.advance()
        var text: [UInt8] = []
        while true {
            guard let byte = cursor.peek(), !cursor.isAtNewline else {
                throw error(.unterminatedString, at: opening, keyPath)
            }
            if byte == quote {
                cursor.advance()
                return String(decoding: text, as: UTF8.self)
            } else if escapes && byte == UInt8(ascii: "\\") {
                try parseEscape(into: &text, keyPath)
            } else {
                try appendTextByte(into: &text, keyPath)
            }
        }
    }

    /// `"""…"""`: escapes, line breaks (kept as `\n`), a line-ending backslash that trims the following
    /// whitespace, and a line break right after the opening quotes that is dropped.
    mutating func parseMultilineBasicString(_ keyPath: ConfigKeyPath) throws(ConfigError) -> String {
        try parseMultiline(quote: UInt8(ascii: "\""), keyPath) { parser, text throws(ConfigError) in
            // A backslash followed by optional spaces and a line break trims up to the next non-blank.
            var lookahead = 1
            while let next = parser.cursor.peek(lookahead), next == 0x20 || next == 0x09 { lookahead += 1 }
            if parser.cursor.peek(lookahead) == 0x0A
                || (parser.cursor.peek(lookahead) == 0x0D && parser.cursor.peek(lookahead + 1) == 0x0A)
            {
                parser.cursor.advance(lookahead)
                while parser.cursor.consumeNewline() { parser.cursor.skipWhitespace() }
            } else {
                try parser.parseEscape(into: &text, keyPath)
            }
        }
    }

    /// `'''…'''`: taken as written, line breaks kept as `\n`, a line break right after the opening
    /// quotes dropped.
    mutating func parseMultilineLiteralString(_ keyPath: ConfigKeyPath) throws(ConfigError) -> String {
        try parseMultiline(quote: UInt8(ascii: "'"), keyPath, backslash: nil)
    }

    /// The shared loop of both multi-line forms; `backslash` handles `\` in basic strings.
    private mutating func parseMultiline(
        quote: UInt8, _ keyPath: ConfigKeyPath,
        backslash: ((inout TOMLParser, inout [UInt8]) throws(ConfigError) -> Void)?
    ) throws(ConfigError) -> String {
        let opening = cursor.location()
        cursor.advance(3)
        _ = cursor.consumeNewline()
        var text: [UInt8] = []
        while true {
            guard let byte = cursor.peek() else { throw error(.unterminatedString, at: opening, keyPath) }
            if byte == quote {
                var run = 0
                while cursor.peek(run) == quote { run += 1 }
                if run >= 3 {
                    // Up to two quotes may sit right before the closing three; more are left for the caller.
                    let kept = min(run - 3, 2)
                    text.append(contentsOf: repeatElement(quote, count: kept))
                    cursor.advance(kept + 3)
                    return String(decoding: text, as: UTF8.self)
                }
                text.append(contentsOf: repeatElement(quote, count: run))
                cursor.advance(run)
            } else if cursor.consumeNewline() {
                text.append(0x0A)
            } else if byte == UInt8(ascii: "\\"), let backslash {
                try backslash(&self, &text)
            } else {
                try appendTextByte(into: &text, keyPath)
            }
        }
    }

    /// Appends the current byte unless it is a control character (tab is allowed).
    private mutating func appendTextByte(into text: inout [UInt8], _ keyPath: ConfigKeyPath) throws(ConfigError) {
        guard let byte = cursor.peek() else { return }
        if byte == 0x0D { throw error(.bareCarriageReturn, at: cursor.location(), keyPath) }
        if byte.isTOMLControl { throw error(.controlCharacter(byte), at: cursor.location(), keyPath) }
        text.append(byte)
        cursor.advance()
    }

    /// `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`; anything else is an error at the backslash.
    mutating func parseEscape(into text: inout [UInt8], _ keyPath: ConfigKeyPath) throws(ConfigError) {
        let location = cursor.location()
        cursor.advance()
        guard let letter = cursor.peek(), !cursor.isAtNewline else {
            throw error(.invalidEscape("\\"), at: location, keyPath)
        }
        let simple: UInt8?
        switch letter {
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        default: simple = nil
        }
        if let simple {
            text.append(simple)
            cursor.advance()
            return
        }
        let digitCount: Int
        switch letter {
        case UInt8(ascii: "u"): digitCount = 4
        case UInt8(ascii: "U"): digitCount = 8
        default:
            let shown = letter < 0x80 && !letter.isTOMLControl ? String(Unicode.Scalar(letter)) : ""
            throw error(.invalidEscape("\\" + shown), at: location, keyPath)
        }
        cursor.advance()
        var value: UInt32 = 0
        var written = "\\" + String(Unicode.Scalar(letter))
        for _ in 0..<digitCount {
            guard let byte = cursor.peek(), let digit = byte.digitValue else {
                throw error(.invalidUnicodeEscape(written), at: location, keyPath)
            }
            written.append(Character(Unicode.Scalar(byte)))
            value = value << 4 | UInt32(digit)
            cursor.advance()
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error(.invalidUnicodeEscape(written), at: location, keyPath)
        }
        UTF8.encode(scalar) { text.append($0) }
    }
}
