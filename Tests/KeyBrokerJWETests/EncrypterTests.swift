import CanonicalJSON
import GuestGuardCrypto
import GuestGuardPlatform
import KeyBrokerJWE
import KeyBrokerProtocol
import Testing

@Suite struct EncrypterTests {
    static func invalidRecipient(_ field: String) -> JWEError {
        .invalidRecipientKey(KeyBrokerProtocolError(.invalidKey, field: field, reason: ""))
    }

    /// Round trips through our own decrypter for every key type and edge-case size.
    @Test(arguments: [EphemeralKeyPair.KeyType.p256, .rsa2048, .rsa(bits: 3072)], [0, 1, 4096])
    func roundTrip(keyType: EphemeralKeyPair.KeyType, length: Int) throws {
        let recipient = try EphemeralKeyPair(keyType)
        let plaintext = try SecureRandom.bytes(count: length)
        let response = try JWEEncrypter(recipient: recipient.publicKey).encrypt(SecretBytes(copying: plaintext))
        #expect(try recipient.decrypt(response).testBytes == plaintext)
        #expect(try JWEDecrypter(recipient: recipient).decrypt(responseBody: response.jsonBytes()).testBytes == plaintext)
    }

    /// Trustee's exact header bytes (spec §3.2), fresh randomness per response.
    @Test func ecdhESHeaderBytesAndFreshness() throws {
        let recipient = try EphemeralKeyPair()
        let encrypter = try JWEEncrypter(recipient: recipient.publicKey)
        let plaintext = SecretBytes(copying: Array("resource".utf8))
        let first = try encrypter.encrypt(plaintext)
        let second = try encrypter.encrypt(plaintext)
        for response in [first, second] {
            let epk = try require(response.header.otherFields["epk"], "epk")
            let x = try require(epk["x"]?.stringValue, "x")
            let y = try require(epk["y"]?.stringValue, "y")
            let expected = #"{"alg":"ECDH-ES+A256KW","enc":"A256GCM","epk":{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}}"#
            #expect(try Base64URL.decode(response.protected) == Array(expected.utf8))
            #expect(try Base64URL.decode(x).count == 32 && Base64URL.decode(y).count == 32)
            #expect(response.encryptedKey.count == 40 && response.iv.count == 12 && response.tag.count == 16)
            #expect(response.aad == nil)
        }
        #expect(first.protected != second.protected, "a fresh ephemeral key per response")
        #expect(first.encryptedKey != second.encryptedKey && first.iv != second.iv && first.ciphertext != second.ciphertext)
    }

    @Test func rsaHeaderBytesAndFreshness() throws {
        let recipient = try EphemeralKeyPair(.rsa2048)
        let encrypter = try JWEEncrypter(recipient: recipient.publicKey)
        let first = try encrypter.encrypt(SecretBytes(copying: [1, 2, 3]))
        let second = try encrypter.encrypt(SecretBytes(copying: [1, 2, 3]))
        #expect(try Base64URL.decode(first.protected) == Array(#"{"alg":"RSA-OAEP-256","enc":"A256GCM"}"#.utf8))
        #expect(first.protected == second.protected)
        #expect(first.encryptedKey.count == 256)
        #expect(first.encryptedKey != second.encryptedKey && first.iv != second.iv && first.ciphertext != second.ciphertext)
    }

    @Test func plaintextBound() throws {
        let recipient = try EphemeralKeyPair()
        let encrypter = try JWEEncrypter(recipient: recipient.publicKey, maximumPlaintextByteCount: 8)
        #expect(throws: JWEError.tooLarge(.plaintext, limit: 8, actual: 9)) { try encrypter.encrypt(SecretBytes(zeroedCount: 9)) }
        #expect(JWEEncrypter.defaultMaximumPlaintextByteCount == JWEDecrypter.defaultMaximumCiphertextByteCount)
    }

    /// The `tee-pubkey` checks, each naming the member.
    @Test func rejectsUnsupportedRecipientKeys() throws {
        let ec = try EphemeralKeyPair().publicKey
        guard case .ec(_, _, let x, let y) = ec else { Issue.record("not EC"); return }
        var offCurve = try Base64URL.decode(y)
        offCurve[31] ^= 0x01
        let rsa = try EphemeralKeyPair(.rsa2048).publicKey
        guard case .rsa(_, let n, _) = rsa else { Issue.record("not RSA"); return }
        let rejected: [(EphemeralPublicKey, String)] = [
            (.ec(crv: "P-256", alg: "RSA-OAEP-256", x: x, y: y), "tee-pubkey.alg"),
            (.ec(crv: "P-256", alg: "ECDH-ES", x: x, y: y), "tee-pubkey.alg"),
            (.ec(crv: "P-384", alg: "ECDH-ES+A256KW", x: x, y: y), "tee-pubkey.crv"),
            (.ec(crv: "P-521", alg: "ECDH-ES+A256KW", x: Base64URL.encode([UInt8](repeating: 1, count: 66)),
                 y: Base64URL.encode([UInt8](repeating: 1, count: 66))), "tee-pubkey.crv"),
            (.ec(crv: "P-256", alg: "ECDH-ES+A256KW", x: x, y: Base64URL.encode(offCurve)), "tee-pubkey.x"),
            (.ec(crv: "P-256", alg: "ECDH-ES+A256KW", x: x + "=", y: y), "tee-pubkey.x"),
            (.ec(crv: "P-256", alg: "ECDH-ES+A256KW", x: Base64URL.encode([UInt8](repeating: 1, count: 31)), y: y), "tee-pubkey.x"),
            (.rsa(alg: "RSA1_5", n: n, e: "AQAB"), "tee-pubkey.alg"),
            (.rsa(alg: "RSA-OAEP-256", n: Base64URL.encode([UInt8](repeating: 0xC1, count: 128)), e: "AQAB"), "tee-pubkey.n"),
            (.rsa(alg: "RSA-OAEP-256", n: Base64URL.encode([UInt8](repeating: 0xC1, count: 1024)), e: "AQAB"), "tee-pubkey.n"),
            (.rsa(alg: "RSA-OAEP-256", n: n, e: "Aw"), "tee-pubkey.e"),
            (.rsa(alg: "RSA-OAEP-256", n: n, e: "AAEAAQ"), "tee-pubkey.e"),
        ]
        for (key, field) in rejected {
            #expect(throws: Self.invalidRecipient(field), "\(key)") { try JWEEncrypter(recipient: key) }
        }
    }

    @Test func ephemeralKeyPairShapes() throws {
        let ec = try EphemeralKeyPair()
        #expect(ec.algorithm == .ecdhESA256KW)
        #expect(ec.publicKey.jwk.objectValue.map { Set($0.keys) } == ["kty", "crv", "alg", "x", "y"])
        guard case .ec(let crv, let alg, _, _) = ec.publicKey, case .ec(_, let x, let y) = try ec.publicKey.validate() else {
            Issue.record("not EC")
            return
        }
        #expect(crv == "P-256" && alg == "ECDH-ES+A256KW" && x.count == 32 && y.count == 32)
        let rsa = try EphemeralKeyPair(.rsa2048)
        #expect(rsa.algorithm == .rsaOAEP256)
        guard case .rsa(let modulus, let exponent) = try rsa.publicKey.validate() else {
            Issue.record("not RSA")
            return
        }
        #expect(modulus.count == 256 && exponent == [1, 0, 1])
        #expect(throws: Self.invalidRecipient("tee-pubkey.n")) { try EphemeralKeyPair(.rsa(bits: 1024)) }
    }
}
