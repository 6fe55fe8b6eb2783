/// A JSON value, Foundation-free, with an RFC 8785 (JCS) canonical serialization.
///
/// Objects keep no member order: every serialization sorts member names by UTF-16 code units
/// as RFC 8785 §3.2.3 requires. Member names are Swift `String`s, so two names that are
/// canonically equivalent Unicode (e.g. U+00E9 and U+0065 U+0301) are the same key here;
/// `JSONParser` therefore rejects such pairs as duplicates, and `JSONValueDecoder` matches
/// names byte for byte.
///
/// Numbers: `.integer` holds integers exactly (what `JSONParser` produces for an integer
/// literal that fits Int64); `.number` holds any other value as a double. `canonicalBytes()`
/// writes both as ECMAScript doubles (so integers beyond ±(2^53−1) lose precision there, as in
/// every JCS implementation); `serializedBytes()` and `prettyText()` write `.integer` exactly.
/// Integers beyond Int64 (e.g. a u64 with bit 63 set) cannot be held exactly at all.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// An integer that is exactly representable (serialized without a fraction or exponent).
    case integer(Int64)
    /// Any other number (IEEE 754 double). NaN and infinities are not JSON and are rejected on output.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object: [String: JSONValue] = [:]
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
    public init(nilLiteral: ()) { self = .null }
    public init(floatLiteral value: Double) { self = .number(value) }
}

extension JSONValue {
    /// `.string(s)` or `.null` when nil.
    public static func optional(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    /// `.bool(b)` or `.null` when nil.
    public static func optional(_ value: Bool?) -> JSONValue { value.map { .bool($0) } ?? .null }
    /// `.integer(i)` or `.null` when nil.
    public static func optional<I: BinaryInteger>(_ value: I?) -> JSONValue { value.map { .integer(Int64($0)) } ?? .null }

    /// Member lookup for objects; nil otherwise.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o } else { return nil } }
    public var int64Value: Int64? {
        switch self {
        case .integer(let i): return i
        case .number(let d) where d.rounded() == d && abs(d) < 9.007_199_254_740_992e15: return Int64(d)
        default: return nil
        }
    }
}
