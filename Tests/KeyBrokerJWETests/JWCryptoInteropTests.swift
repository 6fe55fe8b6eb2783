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

    @Test(arguments: ["EC", "RSA"])
    func ourResponseDecryptsInJWCrypto(keyType: String) throws {
        let (publicJWK, privateJWK) = try JWCryptoPeer.generateKey(
            keyType == "EC" ? ["kty": "EC", "crv": "P-256"] : ["kty": "RSA", "size": 2048])
        // The guest adds `alg` to the JWK it sends as tee-pubkey.
        var members = try require(publicJWK.objectValue, "public JWK")
        members["alg"] = .string(keyType == "EC" ? "ECDH-ES+A256KW" : "RSA-OAEP-256")
        let teePubKey = try JSONValueDecoder().decode(EphemeralPublicKey.self, from: .object(members))
        let plaintext = try SecureRandom.bytes(count: 513)
        let response = try JWEEncrypter(recipient: teePubKey).encrypt(SecretBytes(copying: plaintext))
        #expect(try JWCryptoPeer.decrypt(response.jsonBytes(), privateKey: privateJWK) == plaintext)
    }
}
