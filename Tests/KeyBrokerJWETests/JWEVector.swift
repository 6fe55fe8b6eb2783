import CanonicalJSON
import Foundation
import GuestGuardCrypto
import GuestGuardPlatform
import KeyBrokerJWE
import KeyBrokerProtocol

/// One case of `Fixtures/jwe-responses.json` (see Fixtures/README.md for provenance).
struct JWEVector: Sendable, CustomStringConvertible {
    let id: String
    let alg: String
    let teePubKey: EphemeralPublicKey
    /// PKCS #8 PEM of the recipient private key.
    let recipientPrivateKeyPEM: String
    /// The recipient's private scalar `d` (EC vectors only).
    let recipientScalar: [UInt8]?
    let ephemeralScalar: [UInt8]?
    let contentEncryptionKey: [UInt8]
    let iv: [UInt8]
    let z: [UInt8]?
    let keyEncryptionKey: [UInt8]?
    let encryptedKey: [UInt8]?
    let protectedHeaderJSON: String
    let aadASCII: String
    let responseJSON: [UInt8]
    let plaintext: [UInt8]

    var description: String { id }
    var isEC: Bool { alg == "ECDH-ES+A256KW" }

    static func all() throws -> [JWEVector] {
        let root = try JSONParser.parse(Fixture.bytes("jwe-responses.json"))
        return try require(root["vectors"]?.arrayValue, "vectors").map(JWEVector.init(json:))
    }

    static func named(_ prefix: String) throws -> JWEVector {
        try require(all().first { $0.id.hasPrefix(prefix) }, "vector \(prefix)")
    }

    init(json: JSONValue) throws {
        func string(_ path: String...) throws -> String {
            var value: JSONValue? = json
            for key in path { value = value?[key] }
            return try require(value?.stringValue, path.joined(separator: "."))
        }
        func optionalHex(_ path: String...) -> [UInt8]? {
            var value: JSONValue? = json
            for key in path { value = value?[key] }
            return value?.stringValue.map(hexBytes)
        }
        id = try string("id")
        alg = try string("alg")
        teePubKey = try JSONValueDecoder().decode(EphemeralPublicKey.self, from: require(json["tee_pubkey_jwk"], "tee_pubkey_jwk"))
        if let file = json["recipient_private_pkcs1_pem_file"]?.stringValue {
            // The PKCS #8 re-encoding of that file (Fixtures/README.md).
            recipientPrivateKeyPEM = try Fixture.text(file.replacingOccurrences(of: ".pkcs1.", with: ".pkcs8."))
        } else {
            recipientPrivateKeyPEM = try string("recipient_private_pkcs8_pem")
        }
        recipientScalar = try json["recipient_private_jwk"]?["d"]?.stringValue.map { try Base64URL.decode($0) }
        ephemeralScalar = optionalHex("injected_randomness", "ephemeral_private_scalar_hex")
        contentEncryptionKey = hexBytes(try string("injected_randomness", "cek_hex"))
        iv = hexBytes(try string("injected_randomness", "iv_hex"))
        z = optionalHex("intermediate", "Z_hex")
        keyEncryptionKey = optionalHex("intermediate", "kek_hex")
        encryptedKey = optionalHex("intermediate", "encrypted_key_hex")
        protectedHeaderJSON = try string("intermediate", "protected_header_json")
        aadASCII = try string("intermediate", "aad_ascii")
        responseJSON = Array(try string("response_json").utf8)
        plaintext = hexBytes(try string("expected_plaintext_hex"))
    }

    /// The recipient's key pair, from the PKCS #8 PEM.
    func recipient() throws -> EphemeralKeyPair {
        isEC
            ? try EphemeralKeyPair(p256: P256PrivateKey(pkcs8PEM: recipientPrivateKeyPEM))
            : try EphemeralKeyPair(rsa: RSAPrivateKey(pkcs8PEM: recipientPrivateKeyPEM))
    }

    func response() throws -> Response { try Response(jsonBytes: responseJSON) }

    /// The response JSON as an object, for building hostile variants.
    func responseMembers() throws -> [String: JSONValue] {
        try require(JSONParser.parse(responseJSON).objectValue, "response object")
    }
}

/// Loads files from this target's `Fixtures/`.
enum Fixture {
    static func bytes(_ path: String) throws -> [UInt8] {
        let url = try require(Bundle.module.url(forResource: "Fixtures/" + path, withExtension: nil), "fixture \(path)")
        return [UInt8](try Data(contentsOf: url))
    }

    static func text(_ path: String) throws -> String { String(decoding: try bytes(path), as: UTF8.self) }
}

struct MissingValue: Error, CustomStringConvertible {
    let what: String
    var description: String { "missing \(what)" }
}

func require<T>(_ value: T?, _ what: String) throws -> T {
    guard let value else { throw MissingValue(what: what) }
    return value
}

/// Parses hex from test data; traps on malformed literals.
func hexBytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    precondition(digits.count % 2 == 0, "odd-length hex")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}

extension SecretBytes {
    /// A copy of the secret for comparison in a test.
    var testBytes: [UInt8] { withUnsafeBytes { Array($0) } }
}
