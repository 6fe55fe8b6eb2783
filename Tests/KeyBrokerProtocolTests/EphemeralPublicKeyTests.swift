import CanonicalJSON
import KeyBrokerProtocol
import Testing

@Suite struct EphemeralPublicKeyTests {
    static let x = [UInt8](repeating: 0x11, count: 32)
    static let y = [UInt8](repeating: 0x22, count: 32)

    @Test func p256KeyHasTrusteesShape() throws {
        let key = EphemeralPublicKey.p256(x: Self.x, y: Self.y)
        #expect(
            try key.jwk.canonicalText()
                == #"{"alg":"ECDH-ES+A256KW","crv":"P-256","kty":"EC","x":"ERERERERERERERERERERERERERERERERERERERERERE","y":"IiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiI"}"#)
        #expect(try key.validate() == .ec(crv: "P-256", x: Self.x, y: Self.y))
        #expect(try JSONValueDecoder().decode(EphemeralPublicKey.self, from: JSONValueEncoder().encode(key)) == key)
    }

    @Test(arguments: [
        (EphemeralPublicKey.ec(crv: "P-384", alg: "ECDH-ES+A256KW", x: "", y: ""), "crv"),
        (.ec(crv: "P-256", alg: "ECDH-ES", x: "", y: ""), "alg"),
        (.ec(crv: "P-256", alg: "ECDH-ES+A256KW", x: Base64URL.encode([UInt8](repeating: 1, count: 31)), y: Base64URL.encode(y)), "x"),
        (.ec(crv: "P-256", alg: "ECDH-ES+A256KW", x: Base64URL.encode(x), y: Base64.encode(y)), "y"),
        (.ec(crv: "P-521", alg: "ECDH-ES+A256KW", x: Base64URL.encode(x), y: Base64URL.encode(y)), "x"),
        (.rsa(alg: "RSA1_5", n: Base64URL.encode([UInt8](repeating: 0xC1, count: 256)), e: "AQAB"), "alg"),
        (.rsa(alg: "RSA-OAEP-256", n: Base64URL.encode([UInt8](repeating: 0xC1, count: 128)), e: "AQAB"), "n"),
        (.rsa(alg: "RSA-OAEP-256", n: Base64URL.encode([0] + [UInt8](repeating: 0xC1, count: 256)), e: "AQAB"), "n"),
        (.rsa(alg: "RSA-OAEP-256", n: Base64URL.encode([UInt8](repeating: 0xC1, count: 256)), e: ""), "e"),
        (.rsa(alg: "RSA-OAEP-256", n: Base64URL.encode([UInt8](repeating: 0xC1, count: 256)), e: "AQAB="), "e"),
    ])
    func rejectsKeysTrusteeOrGuestguardRefuse(key: EphemeralPublicKey, field: String) {
        #expect(throws: KeyBrokerProtocolError(.invalidKey, field: field, reason: "")) { try key.validate() }
    }

    @Test func rsaKeyFromTheBindingVector() throws {
        let cases = try require(Fixture.json("kbs/ours/runtime-data-binding.json").member("cases").arrayValue, "cases")
        let entry = try require(cases.first { $0["id"] == "rd-4-rsa-oaep-256" }, "rd-4")
        let runtimeData = try JSONValueDecoder().decode(
            RuntimeData.self, from: JSONParser.parse(entry.string("client_runtime_data_json")))
        guard case .rsa(let modulus, let exponent) = try runtimeData.teePubkey.validate() else {
            throw FixtureError(message: "RSA key")
        }
        #expect(modulus.count == 256 && exponent == [1, 0, 1])
        #expect(EphemeralPublicKey.rsaOAEP256(modulus: modulus, exponent: exponent) == runtimeData.teePubkey)
    }
}
