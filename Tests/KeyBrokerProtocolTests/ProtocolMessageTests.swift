import CanonicalJSON
import KeyBrokerProtocol
import Testing

/// The serde-exact message shapes of `Fixtures/kbs/ours/protocol-messages.json` and the JWE
/// responses of `jwe-responses.json` (shape only; decryption needs the crypto layer).
@Suite struct ProtocolMessageTests {
    static func messages() throws -> JSONValue { try Fixture.json("kbs/ours/protocol-messages.json") }

    static func text(_ key: String) throws -> [UInt8] { Array(try messages().string(key).utf8) }

    @Test func requestAsGuestComponentsSendsIt() throws {
        let request = try Request(jsonBytes: Self.text("request_json"))
        #expect(request == Request())
        try request.validate()
        #expect(try JSONParser.parse(Request().jsonBytes()) == JSONParser.parse(Self.text("request_json")))
    }

    @Test func challengeFromTrustee() throws {
        let challenge = try Challenge(jsonBytes: Self.text("challenge_json_example"))
        #expect(challenge.nonce == "SG86F2cYlLnxQtwmsiISuHEuk6ERhskXtCqEHGz4QrQ=")
        #expect(try Base64.decode(challenge.nonce).count == 32)
        #expect(challenge.extraParams == "")
        #expect(try challenge.hashAlgorithm() == .sha384)
    }

    @Test func attestationShape() throws {
        let text = try Self.text("attestation_json_shape_only")
        let attestation = try Attestation(jsonBytes: text)
        #expect(attestation.initData == nil)
        #expect(attestation.teeEvidence.additionalEvidence == "")
        let key = try attestation.runtimeData.teePubkey.validate()
        guard case .ec(let crv, let x, let y) = key else { throw FixtureError(message: "EC key") }
        #expect(crv == "P-256" && x.count == 32 && y.count == 32)
        let evidence = try attestation.snpEvidence()
        #expect(evidence.reportBytes == (try Fixture.bytes("snp/e2e-report-v3-genoa.reconstructed.bin")))
        // Our encoding is the same JSON value, "init-data": null included.
        #expect(try attestation.json() == JSONParser.parse(text))
        // Built from parts, the same again.
        let rebuilt = Attestation(runtimeData: attestation.runtimeData, teeEvidence: try CompositeEvidence(snp: evidence))
        #expect(try JSONParser.parse(rebuilt.jsonBytes()) == JSONParser.parse(text))
    }

    @Test func tokenAndErrorBodies() throws {
        #expect(try TokenResponse(jsonBytes: Self.text("attest_response_json_example")).token == "<EAR JWT>")
        let problem = try ProblemDetails(jsonBytes: Self.text("error_json_example"))
        #expect(problem.kbsErrorName == "AttestationError")
        #expect(problem.detail.hasSuffix("expect =0.4.0 while the request is 0.3.0"))
        #expect(ProblemDetails(kbsError: "AttestationError", detail: problem.detail) == problem)
    }

    /// Trustee-format JWE responses: every member decodes to the bytes the generator used, and
    /// the AAD is the received `protected` string.
    @Test func jweResponseShapes() throws {
        let vectors = try require(Fixture.json("kbs/ours/jwe-responses.json").member("vectors").arrayValue, "vectors")
        #expect(vectors.count == 4)
        for vector in vectors {
            let id = try vector.string("id")
            let response = try Response(jsonBytes: Array(vector.string("response_json").utf8))
            let intermediate = try vector.member("intermediate")
            let headerText = try intermediate.string("protected_header_json")
            #expect(try Base64URL.decode(response.protected) == Array(headerText.utf8), "\(id)")
            #expect(response.additionalAuthenticatedData == Array(try intermediate.string("aad_ascii").utf8), "\(id)")
            // Trustee's header bytes are what our serializer writes for the parsed header.
            #expect(try response.header.serializedBytes() == Array(headerText.utf8), "\(id)")
            #expect(response.header.alg == (try vector.string("alg")), "\(id)")
            #expect(response.header.enc == "A256GCM", "\(id)")
            #expect(response.iv.hex == (try vector.member("injected_randomness").string("iv_hex")), "\(id)")
            #expect(response.tag.count == 16, "\(id)")
            #expect(response.ciphertext.count * 2 == (try vector.string("expected_plaintext_hex")).utf8.count, "\(id)")
            if let wrapped = intermediate["encrypted_key_hex"]?.stringValue {
                #expect(response.encryptedKey.hex == wrapped, "\(id)")
                #expect(response.header.otherFields["epk"]?["crv"] == "P-256", "\(id)")
            } else {
                #expect(response.encryptedKey.count == 256, "\(id)")  // RSA-2048 OAEP
            }
            #expect(try response.jsonBytes() == Array(vector.string("response_json").utf8).sortedJSON(), "\(id)")
            let key = try JSONValueDecoder().decode(EphemeralPublicKey.self, from: vector.member("tee_pubkey_jwk"))
            #expect(throws: Never.self) { try key.validate() }
        }
    }
}

extension Array where Element == UInt8 {
    /// The same JSON text in our wire form (members sorted, compact).
    func sortedJSON() throws -> [UInt8] { try JSONParser.parse(self).serializedBytes() }
}
