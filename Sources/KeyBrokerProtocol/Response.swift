import CanonicalJSON

/// `GET /kbs/v0/resource/…` body: a JWE in flattened JSON serialization (RFC 7516 §7.2.2),
/// kbs-types `Response` (KT `src/lib.rs:301-340`):
/// `{"protected","encrypted_key","iv","ciphertext","tag"[,"aad"]}`, all base64url without
/// padding except `aad`.
///
/// Decoding is strict base64url (RFC 4648 §5, no padding, canonical trailing bits), and the
/// protected header must be a JSON object with string `alg` and `enc`. Sizes (12-byte IV,
/// 16-byte tag, 40-byte wrapped key …) are checked by the decryption step, not here.
public struct Response: KBSMessage, Hashable {
    /// The `protected` member exactly as received. Its ASCII bytes are the GCM additional
    /// authenticated data (`additionalAuthenticatedData`); never re-serialize the header.
    public let protected: String
    /// The parsed protected header.
    public let header: ProtectedHeader
    public var encryptedKey: [UInt8]
    public var iv: [UInt8]
    public var ciphertext: [UInt8]
    public var tag: [UInt8]
    /// kbs-types quirk (KT `:273-299`): `aad` is carried as its raw string, neither base64url
    /// encoded nor decoded. Trustee never sets it; guest-components ignores it.
    public var aad: String?

    /// Builds a response; `protected` becomes BASE64URL of the header's serialized bytes.
    public init(
        header: ProtectedHeader, encryptedKey: [UInt8], iv: [UInt8], ciphertext: [UInt8], tag: [UInt8], aad: String? = nil
    ) throws(KeyBrokerProtocolError) {
        do {
            protected = try header.encoded()
        } catch {
            throw KeyBrokerProtocolError(.serializationFailed, field: CodingKeys.protected.rawValue, reason: error.description)
        }
        self.header = header
        self.encryptedKey = encryptedKey
        self.iv = iv
        self.ciphertext = ciphertext
        self.tag = tag
        self.aad = aad
    }

    /// The AAD for AES-GCM: ASCII(BASE64URL(UTF8(JWE Protected Header))), i.e. the received
    /// `protected` string (spec §3.3; RFC 7516 §5.2 step 14).
    public var additionalAuthenticatedData: [UInt8] { Array(protected.utf8) }

    enum CodingKeys: String, CodingKey {
        case protected
        case encryptedKey = "encrypted_key"
        case iv, ciphertext, tag, aad
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        protected = try container.decode(String.self, forKey: .protected)
        let headerBytes = try Self.decodeBase64URL(protected, .protected, in: container)
        let headerJSON: JSONValue
        do {
            headerJSON = try JSONParser.parse(headerBytes)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .protected, in: container, debugDescription: "protected header is not JSON: \(error)")
        }
        header = try JSONValueDecoder().decode(ProtectedHeader.self, from: headerJSON)
        encryptedKey = try Self.decodeBase64URL(try container.decode(String.self, forKey: .encryptedKey), .encryptedKey, in: container)
        iv = try Self.decodeBase64URL(try container.decode(String.self, forKey: .iv), .iv, in: container)
        ciphertext = try Self.decodeBase64URL(try container.decode(String.self, forKey: .ciphertext), .ciphertext, in: container)
        tag = try Self.decodeBase64URL(try container.decode(String.self, forKey: .tag), .tag, in: container)
        aad = try container.decodeIfPresent(String.self, forKey: .aad)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(protected, forKey: .protected)
        try container.encode(Base64URL.encode(encryptedKey), forKey: .encryptedKey)
        try container.encode(Base64URL.encode(iv), forKey: .iv)
        try container.encode(Base64URL.encode(ciphertext), forKey: .ciphertext)
        try container.encode(Base64URL.encode(tag), forKey: .tag)
        try container.encodeIfPresent(aad, forKey: .aad)
    }

    private static func decodeBase64URL(
        _ text: String, _ key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>
    ) throws -> [UInt8] {
        do {
            return try Base64URL.decode(text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: container.codingPath + [key], debugDescription: "\(error)", underlyingError: error))
        }
    }
}
