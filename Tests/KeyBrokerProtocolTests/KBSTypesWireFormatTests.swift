import CanonicalJSON
import KeyBrokerProtocol
import Testing

/// kbs-types' own unit-test data (`Fixtures/kbs/kbs-types/wire-format-unit-tests.json`, KT
/// `src/lib.rs` mod tests): each case must give the result kbs-types asserts.
@Suite struct KBSTypesWireFormatTests {
    static func vector(_ name: String) throws -> JSONValue {
        try Fixture.json("kbs/kbs-types/wire-format-unit-tests.json").member(name)
    }

    static func utf8(_ vector: JSONValue, _ key: String) throws -> [UInt8] { Array(try vector.string(key).utf8) }

    @Test func protectedHeaderGenerateAAD() throws {
        let vector = try Self.vector("protected_header_generate_aad")
        let header = try JSONValueDecoder().decode(ProtectedHeader.self, from: vector.member("protected_header"))
        #expect(try header.encoded() == vector.string("expected_aad_ascii"))
    }

    @Test func serializeResponse() throws {
        let vector = try Self.vector("serialize_response")
        let header = try JSONValueDecoder().decode(ProtectedHeader.self, from: vector.member("protected_header"))
        #expect(header.otherFields == ["fakefield": "fakevalue"])
        let response = try Response(
            header: header, encryptedKey: Self.utf8(vector, "encrypted_key_utf8"), iv: Self.utf8(vector, "iv_utf8"),
            ciphertext: Self.utf8(vector, "ciphertext_utf8"), tag: Self.utf8(vector, "tag_utf8"),
            aad: vector.string("aad_field_utf8"))
        #expect(try response.json() == vector.member("expected_json"))
    }

    @Test func parseResponse() throws {
        let vector = try Self.vector("parse_response")
        let expected = try vector.member("expected")
        let response = try Response(json: vector.member("json"))
        #expect(response.header.alg == (try expected.string("alg")))
        #expect(response.header.enc == (try expected.string("enc")))
        #expect(JSONValue.object(response.header.otherFields) == (try expected.member("other_fields")))
        #expect(response.encryptedKey == (try Self.utf8(expected, "encrypted_key_utf8")))
        #expect(response.iv == (try Self.utf8(expected, "iv_utf8")))
        #expect(response.ciphertext == (try Self.utf8(expected, "ciphertext_utf8")))
        #expect(response.tag == (try Self.utf8(expected, "tag_utf8")))
        #expect(response.aad == nil)
        #expect(try expected.member("aad") == .null)
        #expect(try response.json() == vector.member("json"))
    }

    /// The header text ends in "\n", so re-serializing it gives another `protected` string:
    /// the AAD must be the received string (spec §3.3).
    @Test func parseResponseNestedProtectedHeader() throws {
        let vector = try Self.vector("parse_response_nested_protected_header")
        let protected = try vector.string("protected")
        let body: JSONValue = ["protected": .string(protected), "encrypted_key": "", "iv": "", "ciphertext": "", "tag": ""]
        let response = try Response(json: body)
        let expected = try vector.member("expected")
        #expect(response.header.alg == (try expected.string("alg")))
        #expect(response.header.enc == (try expected.string("enc")))
        #expect(JSONValue.object(response.header.otherFields) == (try expected.member("other_fields")))
        #expect(response.additionalAuthenticatedData == Array(protected.utf8))
        #expect(try response.header.encoded() != protected)
    }

    /// kbs-types carries `aad` raw, not base64url-decoded.
    @Test func parseResponseWithAAD() throws {
        let vector = try Self.vector("parse_response_with_aad")
        let response = try Response(json: vector.member("json"))
        #expect(response.header.alg == "fakealg" && response.header.enc == "fakeenc")
        #expect(response.aad == "fakeaad")
        #expect(try response.json() == vector.member("json"))
    }

    @Test func parseRequest() throws {
        let vector = try Self.vector("parse_request")
        let request = try Request(json: vector.member("json"))
        #expect(request == Request(version: "0.0.0", tee: .tdx, extraParams: ""))
        #expect(try request.json() == vector.member("json"))
    }

    @Test func parseChallenge() throws {
        let vector = try Self.vector("parse_challenge")
        let challenge = try Challenge(json: vector.member("json"))
        #expect(challenge == Challenge(nonce: "42", extraParams: ""))
        #expect(try challenge.json() == vector.member("json"))
    }

    @Test(arguments: [
        ("parse_attestation_ec", EphemeralPublicKey.ec(crv: "fakecrv", alg: "fakealgorithm", x: "fakex", y: "fakey")),
        ("parse_attestation_rsa", .rsa(alg: "fakealgorithm", n: "fakemodulus", e: "fakeexponent")),
    ])
    func parseAttestation(name: String, key: EphemeralPublicKey) throws {
        let vector = try Self.vector(name)
        let attestation = try Attestation(json: vector.member("json"))
        #expect(attestation.initData == nil)
        #expect(attestation.runtimeData == RuntimeData(nonce: "test_nonce", teePubkey: key))
        #expect(attestation.teeEvidence.primaryEvidence == "test_primary_evidence")
        #expect(attestation.teeEvidence.additionalEvidence == "test_additional_evidence")
        // Written back with "init-data": null, as guest-components sends it.
        guard case .object(var expected) = try vector.member("json") else { throw FixtureError(message: "object") }
        expected["init-data"] = .null
        #expect(try attestation.json() == .object(expected))
        // Parses like kbs-types, but these fake keys are not keys anyone may wrap to.
        #expect(throws: KeyBrokerProtocolError.self) { try key.validate() }
    }

    @Test func parseErrorInformation() throws {
        let vector = try Self.vector("parse_error_information")
        let problem = try ProblemDetails(json: vector.member("json"))
        #expect(problem == ProblemDetails(type: "problemtype", detail: "problemdetail"))
        #expect(problem.kbsErrorName == nil)
        #expect(try problem.json() == vector.member("json"))
    }

    @Test func teeStrings() throws {
        let names = try require(Self.vector("tee_strings").arrayValue, "tee_strings").compactMap(\.stringValue)
        #expect(names.count == Tee.allCases.count)
        for name in names {
            let tee = try JSONValueDecoder().decode(Tee.self, from: .string(name))
            #expect(tee.rawValue == name)
            #expect(try JSONValueEncoder().encode(tee) == .string(name))
        }
    }
}
