import CanonicalJSON
import GuestGuardCrypto
import GuestGuardPlatform
import KeyBrokerJWE
import KeyBrokerProtocol
import Testing

/// Interop in both directions with latchset's jwcrypto, for both key management algorithms:
/// a KBS written with jwcrypto can serve a guestguard guest, and a guest using jwcrypto can read
/// what guestguard's broker sends.
@Suite struct JWCryptoInteropTests {
    @Test(arguments: [EphemeralKeyPair.KeyType.p256, .rsa2048])
    func jwcryptoEncryptsToOurEphemeralKey(keyType: EphemeralKeyPair.KeyType) throws {
        let recipient = try EphemeralKeyPair(keyType)
        let plaintext = try SecureRandom.bytes(count: 300)
        let body = try JWCryptoPeer.encrypt(plaintext, to: recipient.publicKey.jwk, alg: recipient.algorithm.headerValue)
        let decrypter = JWEDecrypter(recipient: recipient)
        #expect(try decrypter.decrypt(responseBody: body).testBytes == plaintext)

        // The same response with its tag flipped is refused.
        var members = try require(JSONParser.parse(body).objectValue, "object")
        var tag = try Base64URL.decode(require(members["tag"]?.stringValue, "tag"))
        tag[0] ^= 0x80
        members["tag"] = .string(Base64URL.encode(tag))
        #expect(throws: JWEError.decryptionFailed(.tag, .authenticationFailed)) {
            try decrypter.decrypt(responseBody: JSONValue.object(members).serializedBytes())
        }
    }

    /// A key pair jwcrypto generated (`EC` P-256 or `RSA` 2048): the public half as the guest sends
    /// it as `tee-pubkey` (with `alg` added), the private JWK for jwcrypto.
    static func jwcryptoKey(_ keyType: String) throws -> (teePubKey: EphemeralPublicKey, privateJWK: JSONValue) {
        let (publicJWK, privateJWK) = try JWCryptoPeer.generateKey(
            keyType == "EC" ? ["kty": "EC", "crv": "P-256"] : ["kty": "RSA", "size": 2048])
        var members = try require(publicJWK.objectValue, "public JWK")
        members["alg"] = .string(keyType == "EC" ? "ECDH-ES+A256KW" : "RSA-OAEP-256")
        return (try JSONValueDecoder().decode(EphemeralPublicKey.self, from: .object(members)), privateJWK)
    }

    @Test(arguments: ["EC", "RSA"])
    func ourResponseDecryptsInJWCrypto(keyType: String) throws {
        let (teePubKey, privateJWK) = try Self.jwcryptoKey(keyType)
        let plaintext = try SecureRandom.bytes(count: 513)
        let response = try JWEEncrypter(recipient: teePubKey).encrypt(SecretBytes(copying: plaintext))
        #expect(try JWCryptoPeer.decrypt(response.jsonBytes(), privateKey: privateJWK) == plaintext)
    }

    /// guestguard's broker adds `kid` (its keyed `key-id`) to the protected header: jwcrypto still
    /// decrypts and reports it; a client that re-serializes the header for the AAD, as
    /// guest-components does, gets the same bytes; our decrypter returns it.
    @Test(arguments: ["EC", "RSA"])
    func aResponseWithAKeyIDDecryptsInJWCryptoAndInATrusteeStyleClient(keyType: String) throws {
        let (teePubKey, privateJWK) = try Self.jwcryptoKey(keyType)
        let plaintext = try SecureRandom.bytes(count: 64)
        let response = try JWEEncrypter(recipient: teePubKey).encrypt(SecretBytes(copying: plaintext), keyID: "hmac-sha256:0123456789abcdef")
        let body = try response.jsonBytes()
        let opened = try JWCryptoPeer.decryptWithHeader(body, privateKey: privateJWK)
        #expect(opened.plaintext == plaintext)
        #expect(opened.header.objectValue?["kid"]?.stringValue == "hmac-sha256:0123456789abcdef")
        let protected = try require(JSONParser.parse(body).objectValue?["protected"]?.stringValue, "protected")
        #expect(opened.reserializedProtected == protected, "guest-components' re-serialized AAD equals the bytes sent")
        #expect(response.header.keyID == "hmac-sha256:0123456789abcdef")
    }

    @Test func ourDecrypterReturnsTheKeyIDAndRefusesAHostileOne() throws {
        let recipient = try EphemeralKeyPair(.p256)
        let plaintext = try SecureRandom.bytes(count: 32)
        let response = try JWEEncrypter(recipient: recipient.publicKey).encrypt(SecretBytes(copying: plaintext), keyID: "hmac-sha256:00ff")
        #expect(try JWEDecrypter(recipient: recipient).decrypt(response).testBytes == plaintext)
        #expect(response.header.keyID == "hmac-sha256:00ff")
        // A kid that would inject into the PCR document, or is not a string, is refused before any decryption.
        for kid: JSONValue in [.string("a\"b"), .string(""), .string(String(repeating: "a", count: 129)), .integer(1)] {
            var header = response.header
            header.otherFields["kid"] = kid
            let hostile = try Response(header: header, encryptedKey: response.encryptedKey, iv: response.iv, ciphertext: response.ciphertext, tag: response.tag)
            do {
                _ = try JWEDecrypter(recipient: recipient).decrypt(hostile)
                Issue.record("kid \(kid) accepted")
            } catch {
                guard case .invalidMember(.kid, _) = error else { Issue.record("kid \(kid): \(error)"); continue }
            }
        }
    }
}
