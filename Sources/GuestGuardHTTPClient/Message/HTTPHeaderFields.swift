/// An ordered list of header fields. Names compare case-insensitively (RFC 9110 §5.1); order and
/// repeated fields are kept, because `Set-Cookie` may appear more than once.
public struct HTTPHeaderFields: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral,
    CustomStringConvertible
{
    /// One field line: name and value as sent, without the colon or surrounding whitespace.
    public struct Field: Hashable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    private var fields: [Field]

    public init() { fields = [] }
    public init(_ fields: [Field]) { self.fields = fields }
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }
    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// The first value of the field `name`, or nil when absent.
    public subscript(name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// Every value of the field `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// Appends a field line, keeping any existing ones of the same name.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field line named `name` with one line carrying `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Removes every field line named `name`.
    public mutating func remove(name: String) {
        fields.removeAll { Self.namesMatch($0.name, name) }
    }

    /// Whether the field `name` is present.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Header names are ASCII tokens, so an ASCII-only case fold is exact.
    static func namesMatch(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8, right = rhs.utf8
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { asciiLowercase($0) == asciiLowercase($1) }
    }

    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }

    /// Fields that carry credentials; `description` prints them as `<redacted>` so a logged
    /// request never leaks a session cookie or bearer token.
    static let credentialFields = ["authorization", "cookie", "set-cookie", "proxy-authorization"]

    public var description: String {
        let lines = fields.map { field in
            let secret = Self.credentialFields.contains { Self.namesMatch($0, field.name) }
            return "\(field.name): \(secret ? "<redacted>" : field.value)"
        }
        return "[" + lines.joined(separator: ", ") + "]"
    }
}
