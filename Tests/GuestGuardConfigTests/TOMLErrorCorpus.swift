import Testing

/// Documents the reader must reject, each with the exact message it must give.
///
/// `peer` says what Python's tomllib does with the document; `TOMLReaderTests` checks it, so every
/// rejection here is either a TOML 1.0 error or a deliberate limit of the subset.
struct TOMLErrorCase: Sendable, CustomTestStringConvertible {
    enum Peer: Sendable {
        /// Invalid TOML 1.0: tomllib rejects it too.
        case rejects
        /// Valid TOML 1.0 outside guestguard's subset (floats, dates and times, octal and binary integers).
        case acceptsOutsideSubset
        /// Invalid TOML 1.0 that tomllib accepts anyway: TOML 1.0 says "If an integer cannot be
        /// represented losslessly, an error must be thrown", but Python integers have no bound.
        case acceptsBeyondTOML
    }

    let name: String
    let text: String
    let message: String
    var peer = Peer.rejects

    var testDescription: String { name }
}

enum TOMLErrorCorpus {
    static let cases: [TOMLErrorCase] = [
        // Outside the subset
        .init(name: "float", text: "a = 1.5", message: #"t.toml:1:5: key "a": floating-point numbers are not supported"#, peer: .acceptsOutsideSubset),
        .init(name: "exponent", text: "a = 1e5", message: #"t.toml:1:5: key "a": floating-point numbers are not supported"#, peer: .acceptsOutsideSubset),
        .init(name: "inf", text: "a = -inf", message: #"t.toml:1:5: key "a": floating-point numbers are not supported"#, peer: .acceptsOutsideSubset),
        .init(name: "nan", text: "a = nan", message: #"t.toml:1:5: key "a": floating-point numbers are not supported"#, peer: .acceptsOutsideSubset),
        .init(name: "date", text: "a = 1979-05-27", message: #"t.toml:1:5: key "a": dates and times are not supported"#, peer: .acceptsOutsideSubset),
        .init(name: "date-time", text: "a = 1979-05-27T07:32:00Z", message: #"t.toml:1:5: key "a": dates and times are not supported"#, peer: .acceptsOutsideSubset),
        .init(name: "local time", text: "a = 07:32:00", message: #"t.toml:1:5: key "a": dates and times are not supported"#, peer: .acceptsOutsideSubset),
        .init(name: "octal", text: "a = 0o17", message: #"t.toml:1:5: key "a": octal integers are not supported"#, peer: .acceptsOutsideSubset),
        .init(name: "binary", text: "a = 0b101", message: #"t.toml:1:5: key "a": binary integers are not supported"#, peer: .acceptsOutsideSubset),
        .init(name: "float in array", text: "a = [1, 2.5]", message: #"t.toml:1:9: key "a[1]": floating-point numbers are not supported"#, peer: .acceptsOutsideSubset),

        // Integers
        .init(name: "leading zero", text: "a = 007", message: #"t.toml:1:5: key "a": integer "007" has a leading zero"#),
        .init(name: "signed leading zero", text: "a = +01", message: #"t.toml:1:5: key "a": integer "+01" has a leading zero"#),
        .init(name: "double underscore", text: "a = 1__0", message: #"t.toml:1:5: key "a": malformed integer "1__0""#),
        .init(name: "trailing underscore", text: "a = 1_", message: #"t.toml:1:5: key "a": malformed integer "1_""#),
        .init(name: "leading underscore", text: "a = _1", message: #"t.toml:1:5: key "a": expected a value, found "_1""#),
        .init(name: "letters after digits", text: "a = 12ab", message: #"t.toml:1:5: key "a": malformed integer "12ab""#),
        .init(name: "too large", text: "a = 9223372036854775808", message: #"t.toml:1:5: key "a": integer "9223372036854775808" does not fit in 64 bits"#, peer: .acceptsBeyondTOML),
        .init(name: "too small", text: "a = -9223372036854775809", message: #"t.toml:1:5: key "a": integer "-9223372036854775809" does not fit in 64 bits"#, peer: .acceptsBeyondTOML),
        .init(name: "hex too large", text: "a = 0x8000000000000000", message: #"t.toml:1:5: key "a": integer "0x8000000000000000" does not fit in 64 bits"#, peer: .acceptsBeyondTOML),
        .init(name: "hex without digits", text: "a = 0x", message: #"t.toml:1:5: key "a": malformed integer "0x""#),
        .init(name: "signed hex", text: "a = +0x10", message: #"t.toml:1:5: key "a": malformed integer "+0x10""#),
        .init(name: "bad hex digit", text: "a = 0xG", message: #"t.toml:1:5: key "a": malformed integer "0xG""#),
        .init(name: "upper-case hex prefix", text: "a = 0X10", message: #"t.toml:1:5: key "a": malformed integer "0X10""#),
        .init(name: "hex leading underscore", text: "a = 0x_1", message: #"t.toml:1:5: key "a": malformed integer "0x_1""#),
        .init(name: "lone sign", text: "a = -", message: #"t.toml:1:5: key "a": expected a value, found "-""#),

        // Strings
        .init(name: "unterminated basic", text: "a = \"abc", message: #"t.toml:1:5: key "a": unterminated string"#),
        .init(name: "newline in basic", text: "a = \"abc\n\"", message: #"t.toml:1:5: key "a": unterminated string"#),
        .init(name: "unterminated literal", text: "a = 'abc\n'", message: #"t.toml:1:5: key "a": unterminated string"#),
        .init(name: "unterminated multi-line", text: "a = \"\"\"abc\n", message: #"t.toml:1:5: key "a": unterminated string"#),
        .init(name: "unterminated multi-line literal", text: "a = '''abc", message: #"t.toml:1:5: key "a": unterminated string"#),
        .init(name: "invalid escape", text: #"a = "x\qy""#, message: #"t.toml:1:7: key "a": invalid escape sequence "\q""#),
        .init(name: "escape e (TOML 1.1)", text: #"a = "\e""#, message: #"t.toml:1:6: key "a": invalid escape sequence "\e""#),
        .init(name: "escape x (TOML 1.1)", text: #"a = "\x41""#, message: #"t.toml:1:6: key "a": invalid escape sequence "\x""#),
        .init(name: "short unicode escape", text: #"a = "\u12""#, message: #"t.toml:1:6: key "a": invalid Unicode escape "\u12" (needs 4 or 8 hex digits naming a Unicode scalar value)"#),
        .init(name: "surrogate escape", text: #"a = "\uD800""#, message: #"t.toml:1:6: key "a": invalid Unicode escape "\uD800" (needs 4 or 8 hex digits naming a Unicode scalar value)"#),
        .init(name: "escape above U+10FFFF", text: #"a = "\U00110000""#, message: #"t.toml:1:6: key "a": invalid Unicode escape "\U00110000" (needs 4 or 8 hex digits naming a Unicode scalar value)"#),
        .init(name: "line-ending backslash in single-line", text: "a = \"x\\\ny\"", message: #"t.toml:1:7: key "a": invalid escape sequence "\""#),
        .init(name: "backslash space in multi-line", text: "a = \"\"\"x\\ y\"\"\"", message: #"t.toml:1:9: key "a": invalid escape sequence "\ ""#),
        .init(name: "control character in string", text: "a = \"x\u{01}\"", message: #"t.toml:1:7: key "a": control character U+0001 is not allowed"#),
        .init(name: "DEL in literal", text: "a = 'x\u{7F}'", message: #"t.toml:1:7: key "a": control character U+007F is not allowed"#),
        .init(name: "NUL in multi-line literal", text: "a = '''\n\u{00}'''", message: #"t.toml:2:1: key "a": control character U+0000 is not allowed"#),
        .init(name: "bare CR in multi-line", text: "a = \"\"\"x\ry\"\"\"", message: #"t.toml:1:9: key "a": carriage return must be followed by a line feed"#),
        .init(name: "six closing quotes", text: "a = \"\"\"a\"\"\"\"\"\"", message: #"t.toml:1:14: expected end of line, found '"'"#),

        // Keys and lines
        .init(name: "missing equals", text: "a", message: #"t.toml:1:2: key "a": expected "=" after the key, found end of input"#),
        .init(name: "missing key", text: "= 1", message: #"t.toml:1:1: expected a key, found "=""#),
        .init(name: "missing value", text: "a = ", message: #"t.toml:1:5: key "a": expected a value, found end of input"#),
        .init(name: "value on next line", text: "a =\n1", message: #"t.toml:1:4: key "a": expected a value, found end of line"#),
        .init(name: "bare word value", text: "a = yes", message: #"t.toml:1:5: key "a": expected a value, found "yes""#),
        .init(name: "two pairs on a line", text: "a = 1 b = 2", message: #"t.toml:1:7: expected end of line, found "b""#),
        .init(name: "empty dotted part", text: "a. = 1", message: #"t.toml:1:4: expected a key, found "=""#),
        .init(name: "multi-line key", text: "\"\"\"k\"\"\" = 1", message: "t.toml:1:1: a multi-line string cannot be a key"),
        .init(name: "non-ASCII bare key", text: "é = 1", message: #"t.toml:1:1: expected a key, found U+00E9 "é""#),
        .init(name: "bare CR line end", text: "a = 1\rb = 2", message: "t.toml:1:6: carriage return must be followed by a line feed"),
        .init(name: "control character in comment", text: "# hi\u{7F}", message: "t.toml:1:5: control character U+007F is not allowed"),
        .init(name: "byte order mark", text: "\u{FEFF}a = 1", message: "t.toml:1:1: byte order mark (U+FEFF) is not allowed"),
        .init(name: "column counts scalars", text: "a = \"ü\" é", message: #"t.toml:1:9: expected end of line, found U+00E9 "é""#),

        // Arrays and inline tables
        .init(name: "array without comma", text: "a = [1 2]", message: #"t.toml:1:8: key "a": expected "," or "]", found "2""#),
        .init(name: "array double comma", text: "a = [1,,2]", message: #"t.toml:1:8: key "a[1]": expected a value, found ",""#),
        .init(name: "array leading comma", text: "a = [,]", message: #"t.toml:1:6: key "a[0]": expected a value, found ",""#),
        .init(name: "unterminated array", text: "a = [1,\n2", message: #"t.toml:2:2: key "a": expected "," or "]", found end of input"#),
        .init(name: "inline trailing comma", text: "a = {b = 1,}", message: #"t.toml:1:12: key "a": trailing comma in an inline table"#),
        .init(name: "inline newline", text: "a = {b = 1\n}", message: #"t.toml:1:11: key "a": newline in an inline table"#),
        .init(name: "inline newline after brace", text: "a = {\nb = 1}", message: #"t.toml:1:6: key "a": newline in an inline table"#),
        .init(name: "inline missing comma", text: "a = {b = 1 c = 2}", message: #"t.toml:1:12: key "a": expected "," or "}", found "c""#),
        .init(name: "inline duplicate", text: "a = {b = 1, b = 2}", message: #"t.toml:1:13: key "a.b": duplicate key (first defined at line 1)"#),
        .init(name: "extend inline with dotted key", text: "a = {b = 1}\na.c = 2", message: #"t.toml:2:1: key "a": cannot add keys to the inline table defined at line 1"#),
        .init(name: "extend inline with header", text: "a = {b = 1}\n[a.c]", message: #"t.toml:2:2: key "a": cannot add keys to the inline table defined at line 1"#),

        // Tables and structure
        .init(name: "duplicate key", text: "a = 1\na = 2", message: #"t.toml:2:1: key "a": duplicate key (first defined at line 1)"#),
        .init(name: "duplicate quoted key", text: "a = 1\n\"a\" = 2", message: #"t.toml:2:1: key "a": duplicate key (first defined at line 1)"#),
        .init(name: "table defined twice", text: "[a]\nx = 1\n[a]", message: #"t.toml:3:2: key "a": table already defined at line 1"#),
        .init(name: "implicit table defined twice", text: "[a.b]\n[a]\n[a]", message: #"t.toml:3:2: key "a": table already defined at line 2"#),
        .init(name: "header over a value", text: "a = 1\n[a]", message: #"t.toml:2:2: key "a": duplicate key (first defined at line 1)"#),
        .init(name: "header below a value", text: "[a]\nb = 1\n[a.b.c]", message: #"t.toml:3:4: key "a.b": cannot add keys to the integer defined at line 2"#),
        .init(name: "header over a sub-table value", text: "[a]\nb = 1\n[a.b]", message: #"t.toml:3:4: key "a.b": duplicate key (first defined at line 2)"#),
        .init(name: "array of tables after table", text: "[a]\n[[a]]", message: #"t.toml:2:3: key "a": conflicts with the definition at line 1 (array of tables versus table)"#),
        .init(name: "table after array of tables", text: "[[a]]\n[a]", message: #"t.toml:2:2: key "a": conflicts with the definition at line 1 (array of tables versus table)"#),
        .init(name: "array of tables over a static array", text: "a = [1]\n[[a]]", message: #"t.toml:2:3: key "a": conflicts with the definition at line 1 (array of tables versus table)"#),
        .init(name: "dotted key over a header table", text: "[a.b.c]\nz = 1\n[a]\nb.c.t = 1", message: #"t.toml:4:1: key "a.b": dotted keys cannot add to the table defined at line 1"#),
        .init(name: "header over a dotted table", text: "[a]\nb.c = 1\n[a.b]", message: #"t.toml:3:4: key "a.b": table already defined at line 2"#),
        .init(name: "dotted key through a value", text: "a.b = 1\na.b.c = 2", message: #"t.toml:2:3: key "a.b": cannot add keys to the integer defined at line 1"#),
        .init(name: "dotted key through an array", text: "a = [{b = 1}]\na.c = 2", message: #"t.toml:2:1: key "a": cannot add keys to the array defined at line 1"#),
        .init(name: "header through an array", text: "a = [1]\n[a.b]", message: #"t.toml:2:2: key "a": cannot add keys to the array defined at line 1"#),
        .init(name: "array of tables over a dotted table", text: "[[a]]\nb.c = 1\n[[a.b]]", message: #"t.toml:3:5: key "a[0].b": conflicts with the definition at line 2 (array of tables versus table)"#),
        .init(name: "unclosed header", text: "[a", message: #"t.toml:1:3: key "a": expected "]", found end of input"#),
        .init(name: "unclosed array header", text: "[[a]", message: #"t.toml:1:5: key "a": expected "]]", found end of input"#),
        .init(name: "spaced array header", text: "[[a] ]", message: #"t.toml:1:5: key "a": expected "]]", found " ""#),
        .init(name: "extra bracket", text: "[a]]", message: #"t.toml:1:4: key "a": expected end of line, found "]""#),
        .init(name: "empty header", text: "[]", message: #"t.toml:1:2: expected a key, found "]""#),
    ]
}
