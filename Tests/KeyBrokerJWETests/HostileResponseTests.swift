import CanonicalJSON
import GuestGuardCrypto
import GuestGuardPlatform
import KeyBrokerJWE
import KeyBrokerProtocol
import Testing

/// What a hostile hypervisor or a broken broker can send instead of a valid response. Each case
/// must fail with the `JWEError` that names the member, and never yield plaintext.
@Suite struct HostileResponseTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let vector: String
        let mutate: @Sendable (inout ResponseMutation) throws -> Void
        let expected: JWEError
        var testDescription: String { name }
    }

    static let ecHeader = #"{"alg":"ECDH-ES+A256KW","enc":"A256GCM","epk":{"crv":"P-256","kty":"EC","x":"gSxu831PkJ2P7KeLpuDwOBAdKETX40mRhdBWjSdwXlE","y":"RBI4ya2Kfr_jv4uw2Kk4NT3QRov9Wms-R6zMJmUpYz4"}}"#

    static func malformed(_ code: KeyBrokerProtocolError.Code, _ field: String) -> JWEError {
        .malformedResponse(KeyBrokerProtocolError(code, field: field, reason: ""))
    }

    static let cases: [Case] = [
        // Content: the GCM tag covers protected, iv and ciphertext.
        Case(name: "wrong GCM tag", vector: "jwe-1", mutate: { try $0.editBytes("tag") { $0.flipBit(at: 0) } },
             expected: .decryptionFailed(.tag, .authenticationFailed)),
        Case(name: "flipped ciphertext bit", vector: "jwe-2", mutate: { try $0.editBytes("ciphertext") { $0.flipBit(at: -1) } },
             expected: .decryptionFailed(.tag, .authenticationFailed)),
        Case(name: "truncated ciphertext", vector: "jwe-2", mutate: { try $0.editBytes("ciphertext") { $0.removeLast() } },
             expected: .decryptionFailed(.tag, .authenticationFailed)),
        Case(name: "extended ciphertext", vector: "jwe-1", mutate: { try $0.editBytes("ciphertext") { $0.append(0) } },
             expected: .decryptionFailed(.tag, .authenticationFailed)),
        Case(name: "ciphertext added to an empty payload", vector: "jwe-4", mutate: { try $0.editBytes("ciphertext") { $0 = [0x41] } },
             expected: .decryptionFailed(.tag, .authenticationFailed)),
        Case(name: "flipped IV bit", vector: "jwe-3", mutate: { try $0.editBytes("iv") { $0.flipBit(at: 5) } },
             expected: .decryptionFailed(.tag, .authenticationFailed)),
        Case(name: "header re-serialized with spaces (AAD is the raw string)", vector: "jwe-3",
             mutate: { $0.setHeader(#"{"alg": "RSA-OAEP-256", "enc": "A256GCM"}"#) },
             expected: .decryptionFailed(.tag, .authenticationFailed)),
        Case(name: "harmless-looking header re-encoding", vector: "jwe-1", mutate: { $0.setHeader(Self.ecHeader + "\n") },
             expected: .decryptionFailed(.tag, .authenticationFailed)),
        // Sizes.
        Case(name: "truncated IV", vector: "jwe-1", mutate: { try $0.editBytes("iv") { $0.removeLast() } },
             expected: .invalidLength(.iv, expected: 12, actual: 11)),
        Case(name: "16-byte IV", vector: "jwe-1", mutate: { try $0.editBytes("iv") { $0 += [0, 0, 0, 0] } },
             expected: .invalidLength(.iv, expected: 12, actual: 16)),
        Case(name: "truncated tag", vector: "jwe-1", mutate: { try $0.editBytes("tag") { $0.removeLast() } },
             expected: .invalidLength(.tag, expected: 16, actual: 15)),
        Case(name: "empty tag", vector: "jwe-4", mutate: { $0.members["tag"] = "" }, expected: .invalidLength(.tag, expected: 16, actual: 0)),
        Case(name: "truncated wrapped key", vector: "jwe-1", mutate: { try $0.editBytes("encrypted_key") { $0.removeLast() } },
             expected: .invalidLength(.encryptedKey, expected: 40, actual: 39)),
        Case(name: "wrapped key with an extra block", vector: "jwe-1",
             mutate: { try $0.editBytes("encrypted_key") { $0 += [UInt8](repeating: 0, count: 8) } },
             expected: .invalidLength(.encryptedKey, expected: 40, actual: 48)),
        Case(name: "truncated RSA-OAEP key", vector: "jwe-3", mutate: { try $0.editBytes("encrypted_key") { $0.removeFirst() } },
             expected: .invalidLength(.encryptedKey, expected: 256, actual: 255)),
        // Key management.
        Case(name: "flipped wrapped-key bit", vector: "jwe-1", mutate: { try $0.editBytes("encrypted_key") { $0.flipBit(at: 20) } },
             expected: .decryptionFailed(.encryptedKey, .keyUnwrapIntegrityCheckFailed)),
        Case(name: "flipped RSA-OAEP bit", vector: "jwe-3", mutate: { try $0.editBytes("encrypted_key") { $0.flipBit(at: 100) } },
             expected: .decryptionFailed(.encryptedKey, .rsaDecryptionFailed)),
        Case(name: "epk swapped for another vector's", vector: "jwe-1",
             mutate: { mutation in
                 let other = try ResponseMutation(JWEVector.named("jwe-2"))
                 mutation.members["protected"] = other.members["protected"]
             },
             expected: .decryptionFailed(.encryptedKey, .keyUnwrapIntegrityCheckFailed)),
        Case(name: "epk off the curve", vector: "jwe-1",
             mutate: { try $0.editEPK { $0["y"] = "RBI4ya2Kfr_jv4uw2Kk4NT3QRov9Wms-R6zMJmUpYz8" } },
             expected: .invalidEphemeralKey(.pointNotOnCurve)),
        Case(name: "epk the point (0, 0)", vector: "jwe-1",
             mutate: { try $0.editEPK { $0["x"] = .string(Base64URL.encode([UInt8](repeating: 0, count: 32))); $0["y"] = $0["x"] } },
             expected: .invalidEphemeralKey(.pointNotOnCurve)),
        Case(name: "epk on P-384", vector: "jwe-1", mutate: { try $0.editEPK { $0["crv"] = "P-384" } },
             expected: .invalidMember(.epkCrv, reason: "")),
        Case(name: "epk of type RSA", vector: "jwe-1", mutate: { try $0.editEPK { $0["kty"] = "RSA" } },
             expected: .invalidMember(.epkKty, reason: "")),
        Case(name: "epk with a private d", vector: "jwe-1", mutate: { try $0.editEPK { $0["d"] = "AAAA" } },
             expected: .unexpectedMember(.epk, name: "d")),
        Case(name: "epk without y", vector: "jwe-1", mutate: { try $0.editEPK { $0["y"] = nil } }, expected: .missingMember(.epkY)),
        Case(name: "epk x of 31 bytes", vector: "jwe-1",
             mutate: { try $0.editEPK { $0["x"] = .string(Base64URL.encode([UInt8](repeating: 7, count: 31))) } },
             expected: .invalidLength(.epkX, expected: 32, actual: 31)),
        Case(name: "epk x with padding", vector: "jwe-1",
             mutate: { try $0.editEPK { $0["x"] = "gSxu831PkJ2P7KeLpuDwOBAdKETX40mRhdBWjSdwXlE=" } },
             expected: .invalidMember(.epkX, reason: "")),
        Case(name: "epk x a number", vector: "jwe-1", mutate: { try $0.editEPK { $0["x"] = 7 } }, expected: .invalidMember(.epkX, reason: "")),
        Case(name: "epk a string", vector: "jwe-1", mutate: { try $0.editHeader { $0["epk"] = "P-256" } }, expected: .invalidMember(.epk, reason: "")),
        Case(name: "epk missing", vector: "jwe-1", mutate: { try $0.editHeader { $0["epk"] = nil } }, expected: .missingMember(.epk)),
        // Algorithms.
        Case(name: "RSA alg with an EC key", vector: "jwe-1", mutate: { try $0.editHeader { $0["alg"] = "RSA-OAEP-256" } },
             expected: .algorithmKeyMismatch(alg: "RSA-OAEP-256", expected: "ECDH-ES+A256KW")),
        Case(name: "ECDH-ES alg with an RSA key", vector: "jwe-3", mutate: { try $0.editHeader { $0["alg"] = "ECDH-ES+A256KW" } },
             expected: .algorithmKeyMismatch(alg: "ECDH-ES+A256KW", expected: "RSA-OAEP-256")),
        Case(name: "direct ECDH-ES", vector: "jwe-1", mutate: { try $0.editHeader { $0["alg"] = "ECDH-ES" } },
             expected: .unsupportedAlgorithm(.alg, "ECDH-ES")),
        Case(name: "ECDH-ES+A128KW", vector: "jwe-1", mutate: { try $0.editHeader { $0["alg"] = "ECDH-ES+A128KW" } },
             expected: .unsupportedAlgorithm(.alg, "ECDH-ES+A128KW")),
        Case(name: "RSA1_5", vector: "jwe-3", mutate: { try $0.editHeader { $0["alg"] = "RSA1_5" } }, expected: .unsupportedAlgorithm(.alg, "RSA1_5")),
        Case(name: "RSA-OAEP (SHA-1)", vector: "jwe-3", mutate: { try $0.editHeader { $0["alg"] = "RSA-OAEP" } },
             expected: .unsupportedAlgorithm(.alg, "RSA-OAEP")),
        Case(name: "dir", vector: "jwe-3", mutate: { try $0.editHeader { $0["alg"] = "dir" } }, expected: .unsupportedAlgorithm(.alg, "dir")),
        Case(name: "alg with a Kelvin sign (canonically equal to K)", vector: "jwe-1",
             mutate: { try $0.editHeader { $0["alg"] = "ECDH-ES+A256\u{212A}W" } },
             expected: .unsupportedAlgorithm(.alg, "ECDH-ES+A256\u{212A}W")),
        Case(name: "A128GCM", vector: "jwe-1", mutate: { try $0.editHeader { $0["enc"] = "A128GCM" } },
             expected: .unsupportedAlgorithm(.enc, "A128GCM")),
        Case(name: "A256CBC-HS512", vector: "jwe-3", mutate: { try $0.editHeader { $0["enc"] = "A256CBC-HS512" } },
             expected: .unsupportedAlgorithm(.enc, "A256CBC-HS512")),
        // Members Trustee never sends.
        Case(name: "zip", vector: "jwe-1", mutate: { try $0.editHeader { $0["zip"] = "DEF" } }, expected: .unexpectedMember(.protected, name: "zip")),
        Case(name: "crit", vector: "jwe-3", mutate: { try $0.editHeader { $0["crit"] = ["exp"] } },
             expected: .unexpectedMember(.protected, name: "crit")),
        Case(name: "apu", vector: "jwe-1", mutate: { try $0.editHeader { $0["apu"] = "QWxpY2U" } }, expected: .unexpectedMember(.protected, name: "apu")),
        Case(name: "epk in an RSA header", vector: "jwe-3",
             mutate: { try $0.editHeader { $0["epk"] = ["crv": "P-256", "kty": "EC", "x": "", "y": ""] } },
             expected: .unexpectedMember(.protected, name: "epk")),
        Case(name: "aad member", vector: "jwe-1", mutate: { $0.members["aad"] = "extra" }, expected: .unexpectedMember(.aad, name: "aad")),
        // Not a Response at all.
        Case(name: "missing tag", vector: "jwe-1", mutate: { $0.members["tag"] = nil }, expected: malformed(.missingField, "tag")),
        Case(name: "missing protected", vector: "jwe-3", mutate: { $0.members["protected"] = nil }, expected: malformed(.missingField, "protected")),
        Case(name: "IV in padded base64url", vector: "jwe-1", mutate: { $0.members["iv"] = "SeLik5ESFkaS1Det==" },
             expected: malformed(.invalidValue, "iv")),
        Case(name: "IV in standard base64", vector: "jwe-2", mutate: { $0.members["iv"] = "aKa+7E8Kb/kVvXJI" }, expected: malformed(.invalidValue, "iv")),
        Case(name: "tag a number", vector: "jwe-1", mutate: { $0.members["tag"] = 16 }, expected: malformed(.typeMismatch, "tag")),
        Case(name: "protected not JSON", vector: "jwe-1", mutate: { $0.setHeader("not json") }, expected: malformed(.invalidValue, "protected")),
        Case(name: "protected without enc", vector: "jwe-1", mutate: { $0.setHeader(#"{"alg":"ECDH-ES+A256KW"}"#) },
             expected: malformed(.missingField, "enc")),
    ]

    @Test(arguments: cases)
    func rejected(hostile: Case) throws {
        let vector = try JWEVector.named(hostile.vector)
        var mutation = try ResponseMutation(vector)
        try hostile.mutate(&mutation)
        let decrypter = JWEDecrypter(recipient: try vector.recipient())
        let body = try mutation.body()
        do throws(JWEError) {
            let plaintext = try decrypter.decrypt(responseBody: body)
            Issue.record("decrypted \(plaintext.count) bytes; expected \(hostile.expected)")
        } catch {
            #expect(Self.matches(error, hostile.expected), "got \(error) at \(error.field)")
            #expect(error.field == hostile.expected.field)
        }
    }

    /// Exact equality, except that `invalidMember` reasons are explanation only.
    static func matches(_ error: JWEError, _ expected: JWEError) -> Bool {
        if case .invalidMember(let field, _) = error, case .invalidMember(let expectedField, _) = expected { return field == expectedField }
        return error == expected
    }

    /// A well-formed response for someone else's key.
    @Test func wrongRecipientKey() throws {
        let ec = try JWEVector.named("jwe-1")
        let otherEC = try JWEVector.named("jwe-2").recipient()
        #expect(throws: JWEError.decryptionFailed(.encryptedKey, .keyUnwrapIntegrityCheckFailed)) { try otherEC.decrypt(ec.response()) }
        #expect(throws: JWEError.decryptionFailed(.encryptedKey, .keyUnwrapIntegrityCheckFailed)) {
            try EphemeralKeyPair().decrypt(ec.response())
        }
        let rsa = try JWEVector.named("jwe-3")
        #expect(throws: JWEError.decryptionFailed(.encryptedKey, .rsaDecryptionFailed)) {
            try EphemeralKeyPair(.rsa2048).decrypt(rsa.response())
        }
        #expect(throws: JWEError.algorithmKeyMismatch(alg: "RSA-OAEP-256", expected: "ECDH-ES+A256KW")) { try otherEC.decrypt(rsa.response()) }
    }

    @Test func truncatedBodies() throws {
        let vector = try JWEVector.named("jwe-1")
        let decrypter = JWEDecrypter(recipient: try vector.recipient())
        for length in [0, 1, vector.responseJSON.count / 2, vector.responseJSON.count - 1] {
            #expect(throws: Self.malformed(.malformedJSON, "")) { try decrypter.decrypt(responseBody: Array(vector.responseJSON.prefix(length))) }
        }
        let duplicated = Array(#"{"tag":"8PpjKBwoXGzrr8tAXLXblw","#.utf8) + vector.responseJSON.dropFirst()
        #expect(throws: Self.malformed(.malformedJSON, "")) { try decrypter.decrypt(responseBody: duplicated) }
    }

    @Test func sizeBounds() throws {
        let vector = try JWEVector.named("jwe-2")
        let small = JWEDecrypter(recipient: try vector.recipient(), maximumCiphertextByteCount: 41)
        #expect(throws: JWEError.tooLarge(.ciphertext, limit: 41, actual: 42)) { try small.decrypt(responseBody: vector.responseJSON) }
        #expect(try JWEDecrypter(recipient: vector.recipient(), maximumCiphertextByteCount: 42).decrypt(responseBody: vector.responseJSON)
            .testBytes == vector.plaintext)
        let oversized = [UInt8](repeating: 0x20, count: small.maximumResponseBodyByteCount + 1)
        #expect(throws: JWEError.tooLarge(.body, limit: small.maximumResponseBodyByteCount, actual: oversized.count)) {
            try small.decrypt(responseBody: oversized)
        }
        let defaultLimit = JWEDecrypter(recipient: try vector.recipient()).maximumResponseBodyByteCount
        #expect(defaultLimit > (1 << 20) * 4 / 3 && defaultLimit < 2 << 20, "1 MiB of base64url fits, under the 2 MiB request limit")
    }
}
