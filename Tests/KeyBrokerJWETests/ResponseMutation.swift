import CanonicalJSON
import KeyBrokerJWE

/// A hostile variant of a vector's response: edits to the response object or to its protected
/// header (re-encoded, so the AAD changes with it), serialized back to a body.
struct ResponseMutation: Sendable {
    var members: [String: JSONValue]

    init(_ vector: JWEVector) throws {
        members = try vector.responseMembers()
    }

    /// Replaces the protected header with `json`, exactly these bytes.
    mutating func setHeader(_ json: String) {
        members["protected"] = .string(Base64URL.encode(Array(json.utf8)))
    }

    /// Edits the parsed protected header (re-serialized compact and sorted, Trustee's form).
    mutating func editHeader(_ edit: (inout [String: JSONValue]) -> Void) throws {
        let text = try require(members["protected"]?.stringValue, "protected")
        var header = try require(JSONParser.parse(Base64URL.decode(text)).objectValue, "header object")
        edit(&header)
        members["protected"] = .string(Base64URL.encode(try JSONValue.object(header).serializedBytes()))
    }

    /// Edits the `epk` object inside the protected header.
    mutating func editEPK(_ edit: @escaping (inout [String: JSONValue]) -> Void) throws {
        try editHeader { header in
            guard var epk = header["epk"]?.objectValue else { return }
            edit(&epk)
            header["epk"] = .object(epk)
        }
    }

    /// Edits the decoded bytes of a base64url member.
    mutating func editBytes(_ member: String, _ edit: (inout [UInt8]) -> Void) throws {
        var bytes = try Base64URL.decode(require(members[member]?.stringValue, member))
        edit(&bytes)
        members[member] = .string(Base64URL.encode(bytes))
    }

    func body() throws -> [UInt8] { try JSONValue.object(members).serializedBytes() }
}

extension Array where Element == UInt8 {
    /// Flips the lowest bit of the byte at `index` (negative: from the end).
    mutating func flipBit(at index: Int) {
        self[index >= 0 ? index : count + index] ^= 0x01
    }
}
