import CanonicalJSON

/// The JWE protected header of a KBS resource response (kbs-types `ProtectedHeader`:
/// `alg`, `enc`, then `#[serde(flatten)] other_fields`; KT `:205-224`).
///
/// Trustee's headers are `{"alg":"ECDH-ES+A256KW","enc":"A256GCM","epk":{"crv","kty","x","y"}}`
/// and `{"alg":"RSA-OAEP-256","enc":"A256GCM"}` (spec §3.2); their serde member order is
/// already sorted, so `serializedBytes()` reproduces Trustee's bytes.
public struct ProtectedHeader: Codable, Hashable, Sendable {
    public var alg: String
    public var enc: String
    /// Every other member (`epk`, …).
    public var otherFields: [String: JSONValue]

    public init(alg: String, enc: String, otherFields: [String: JSONValue] = [:]) {
        self.alg = alg
        self.enc = enc
        self.otherFields = otherFields
    }

    /// `kid` (RFC 7516 §4.1.6): guestguard's broker sends the released key's `key-id` here.
    public static let keyIDMember = "kid"

    /// The `kid` member when it is a string; nil when absent (Trustee sends none).
    public var keyID: String? {
        guard let value = otherFields.first(where: { $0.key.utf8.elementsEqual(Self.keyIDMember.utf8) })?.value, case .string(let text) = value else {
            return nil
        }
        return text
    }

    enum CodingKeys: String, CodingKey {
        case alg, enc
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        alg = try container.decode(String.self, forKey: .alg)
        enc = try container.decode(String.self, forKey: .enc)
        guard case .object(var members) = try JSONValue(from: decoder) else {
            throw DecodingError.typeMismatch(JSONValue.self, .init(codingPath: decoder.codingPath, debugDescription: "expected an object"))
        }
        members.removeValue(forKey: CodingKeys.alg.rawValue)
        members.removeValue(forKey: CodingKeys.enc.rawValue)
        otherFields = members
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }

    /// The header as one JSON object.
    public var json: JSONValue {
        var members = otherFields
        members[CodingKeys.alg.rawValue] = .string(alg)
        members[CodingKeys.enc.rawValue] = .string(enc)
        return .object(members)
    }

    /// Compact JSON with members sorted (integers exact).
    public func serializedBytes() throws(JSONValue.SerializationError) -> [UInt8] {
        try json.serializedBytes()
    }

    /// The `protected` member for this header: BASE64URL(UTF8(JSON)).
    public func encoded() throws(JSONValue.SerializationError) -> String {
        Base64URL.encode(try serializedBytes())
    }
}
