/// Why a configuration file was rejected, and where.
///
/// The description has the compiler form `file:line:column: key "path": reason`, for example
/// `policy.toml:7:12: key "report.minimum-tcb.snp": expected an integer 0...255, found string`.
/// The `key "…"` part is left out when the error is not about one key (a stray character between keys).
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reasons, closed: syntax, structure, limits, then the typed-decoding failures.
    public enum Reason: Sendable, Hashable {
        // MARK: Input
        /// The input is larger than ``ConfigLimits/maximumInputBytes``.
        case inputTooLarge(byteCount: Int, limit: Int)
        /// A value is nested deeper than ``ConfigLimits/maximumNestingDepth``.
        case nestingTooDeep(limit: Int)
        /// The bytes are not UTF-8.
        case invalidUTF8
        /// The file starts with U+FEFF.
        case byteOrderMark
        /// A control character (other than tab and a newline where one is allowed).
        case controlCharacter(UInt8)
        /// A carriage return not followed by a line feed.
        case bareCarriageReturn

        // MARK: Syntax
        /// Something other than what the grammar allows here; both sides already rendered for the message.
        case unexpected(expected: String, found: String)
        /// A string without its closing quote(s) before the end of the line or input.
        case unterminatedString
        /// A backslash escape TOML does not define, as written (`\q`).
        case invalidEscape(String)
        /// `\u`/`\U` with too few hex digits or naming no Unicode scalar (a surrogate, > U+10FFFF).
        case invalidUnicodeEscape(String)
        /// A multi-line string used as a key.
        case multilineStringKey
        /// An integer with misplaced underscores, a sign on hexadecimal, or no digits, as written.
        case invalidInteger(String)
        /// A decimal integer with a leading zero, as written (`007`).
        case leadingZero(String)
        /// An integer outside the 64-bit signed range, as written.
        case integerOverflow(String)
        /// A TOML feature outside guestguard's subset, named in plural ("floating-point numbers").
        case unsupported(String)
        /// `{ a = 1, }`: TOML forbids a comma after an inline table's last key.
        case trailingCommaInInlineTable
        /// A newline between an inline table's braces (outside a value).
        case newlineInInlineTable

        // MARK: Structure
        /// The key is already set in this table.
        case duplicateKey(firstLine: Int)
        /// `[table]` for a table already defined by a header or by dotted keys.
        case tableRedefined(firstLine: Int)
        /// A header or dotted key tries to go inside a value that is not an open table.
        case notATable(foundType: String, line: Int)
        /// A dotted key tries to add to a table defined by a `[header]` elsewhere.
        case dottedKeyExtendsTable(line: Int)
        /// `[[name]]` for a key that is not an array of tables, or `[name]` for one that is.
        case arrayOfTablesConflict(line: Int)

        // MARK: Typed decoding
        /// A required key is absent.
        case missingKey
        /// The key is not one the consumer accepts; `known` lists those it does, in the consumer's order.
        case unknownKey(known: [String])
        /// The value has another type, for example expected "an integer 0...255", found "string".
        case typeMismatch(expected: String, found: String)
        /// An integer outside the consumer's range; `expected` reads like "an integer 0...255".
        case integerOutOfRange(Int64, expected: String)
        /// A string that is not one of the allowed keywords.
        case notOneOf(String, allowed: [String])
        /// A value of the right type that the consumer cannot accept, described on both sides.
        case invalidValue(expected: String, found: String)
    }

    public let location: SourceLocation
    /// The key the error is about; ``ConfigKeyPath/root`` when it is about no particular key.
    public let keyPath: ConfigKeyPath
    public let reason: Reason

    public init(location: SourceLocation, keyPath: ConfigKeyPath, reason: Reason) {
        self.location = location
        self.keyPath = keyPath
        self.reason = reason
    }

    public var description: String {
        let subject = keyPath.isRoot ? "" : "key \"\(keyPath)\": "
        return "\(location): \(subject)\(reason)"
    }
}

extension ConfigError.Reason: CustomStringConvertible {
    public var description: String {
        switch self {
        case .inputTooLarge(let byteCount, let limit):
            return "input is \(byteCount) bytes, more than the limit of \(limit)"
        case .nestingTooDeep(let limit):
            return "nested deeper than the limit of \(limit) levels"
        case .invalidUTF8:
            return "invalid UTF-8"
        case .byteOrderMark:
            return "byte order mark (U+FEFF) is not allowed"
        case .controlCharacter(let byte):
            return "control character \(TOMLRenderer.scalarName(UInt32(byte))) is not allowed"
        case .bareCarriageReturn:
            return "carriage return must be followed by a line feed"
        case .unexpected(let expected, let found):
            return "expected \(expected), found \(found)"
        case .unterminatedString:
            return "unterminated string"
        case .invalidEscape(let escape):
            return "invalid escape sequence \"\(escape)\""
        case .invalidUnicodeEscape(let escape):
            return "invalid Unicode escape \"\(escape)\" (needs 4 or 8 hex digits naming a Unicode scalar value)"
        case .multilineStringKey:
            return "a multi-line string cannot be a key"
        case .invalidInteger(let text):
            return "malformed integer \"\(text)\""
        case .leadingZero(let text):
            return "integer \"\(text)\" has a leading zero"
        case .integerOverflow(let text):
            return "integer \"\(text)\" does not fit in 64 bits"
        case .unsupported(let feature):
            return "\(feature) are not supported"
        case .trailingCommaInInlineTable:
            return "trailing comma in an inline table"
        case .newlineInInlineTable:
            return "newline in an inline table"
        case .duplicateKey(let firstLine):
            return "duplicate key (first defined at line \(firstLine))"
        case .tableRedefined(let firstLine):
            return "table already defined at line \(firstLine)"
        case .notATable(let foundType, let line):
            return "cannot add keys to the \(foundType) defined at line \(line)"
        case .dottedKeyExtendsTable(let line):
            return "dotted keys cannot add to the table defined at line \(line)"
        case .arrayOfTablesConflict(let line):
            return "conflicts with the definition at line \(line) (array of tables versus table)"
        case .missingKey:
            return "required key is missing"
        case .unknownKey(let known):
            if known.isEmpty { return "unknown key (this table takes no keys)" }
            return "unknown key (known keys: \(known.joined(separator: ", ")))"
        case .typeMismatch(let expected, let found):
            return "expected \(expected), found \(found)"
        case .integerOutOfRange(let value, let expected):
            return "expected \(expected), found \(value)"
        case .notOneOf(let value, let allowed):
            let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
            return "expected one of \(list), found \"\(value)\""
        case .invalidValue(let expected, let found):
            return "expected \(expected), found \(found)"
        }
    }
}
