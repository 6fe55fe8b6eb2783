/// A read position in a UTF-8 document that knows its line and column.
///
/// Columns are computed on demand, counting Unicode scalars from the start of the line; a cache makes
/// the usual forward-moving queries cost amortised O(1), so a one-line megabyte array stays linear.
struct TOMLCursor {
    let bytes: [UInt8]
    let fileName: String
    private(set) var index = 0
    private(set) var line = 1
    private var lineStart = 0
    private var columnCacheIndex = 0
    private var columnCacheValue = 1

    init(bytes: [UInt8], fileName: String) {
        self.bytes = bytes
        self.fileName = fileName
    }

    var isAtEnd: Bool { index >= bytes.count }

    /// The byte `offset` positions ahead, or nil past the end.
    func peek(_ offset: Int = 0) -> UInt8? {
        let position = index + offset
        return position < bytes.count ? bytes[position] : nil
    }

    /// Whether the input continues with `literal` at the current position.
    func hasPrefix(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { buffer in
            var offset = 0
            while offset < count {
                if bytes[index + offset] != buffer[offset] { return false }
                offset += 1
            }
            return true
        }
    }

    /// Moves past `count` bytes that contain no line break.
    mutating func advance(_ count: Int = 1) {
        index += count
    }

    /// Whether the input continues with a line break (LF or CRLF).
    var isAtNewline: Bool {
        peek() == 0x0A || (peek() == 0x0D && peek(1) == 0x0A)
    }

    /// Consumes a line break (LF or CRLF) if there is one.
    mutating func consumeNewline() -> Bool {
        if peek() == 0x0A {
            index += 1
        } else if peek() == 0x0D && peek(1) == 0x0A {
            index += 2
        } else {
            return false
        }
        line += 1
        lineStart = index
        columnCacheIndex = index
        columnCacheValue = 1
        return true
    }

    /// Skips spaces and tabs.
    mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 {
            index += 1
        }
    }

    /// The location of the current position.
    mutating func location() -> SourceLocation {
        location(at: index)
    }

    /// The location of `position`, which must be on the current line and not before its start.
    mutating func location(at position: Int) -> SourceLocation {
        precondition(position >= lineStart, "location requested before the current line")
        if position < columnCacheIndex {
            columnCacheIndex = lineStart
            columnCacheValue = 1
        }
        var column = columnCacheValue
        var scan = columnCacheIndex
        while scan < position {
            // A UTF-8 continuation byte (10xxxxxx) does not start a new scalar.
            if bytes[scan] & 0xC0 != 0x80 { column += 1 }
            scan += 1
        }
        columnCacheIndex = position
        columnCacheValue = column
        return SourceLocation(fileName: fileName, line: line, column: column)
    }

    /// The character at the current position as a message shows it: `"x"` (a double quote as `'"'`),
    /// `U+00E9 "é"`, `U+0001`, "end of line", "end of input".
    func describeCurrent() -> String {
        guard let byte = peek() else { return "end of input" }
        if byte == 0x0A || (byte == 0x0D && peek(1) == 0x0A) { return "end of line" }
        if byte == UInt8(ascii: "\"") { return "'\"'" }
        if byte >= 0x20 && byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
        if byte < 0x80 { return TOMLRenderer.scalarName(UInt32(byte)) }
        let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
        let end = min(index + length, bytes.count)
        let text = String(decoding: bytes[index..<end], as: UTF8.self)
        guard let scalar = text.unicodeScalars.first else { return "invalid UTF-8" }
        return "\(TOMLRenderer.scalarName(scalar.value)) \"\(text)\""
    }
}
