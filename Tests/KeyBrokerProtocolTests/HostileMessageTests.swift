import CanonicalJSON
import KeyBrokerProtocol
import Testing

/// Hostile or broken bodies give typed errors that name the member.
@Suite struct HostileMessageTests {
    typealias E = KeyBrokerProtocolError

    static func attestationText() throws -> String {
        try Fixture.json("kbs/ours/protocol-messages.json").string("attestation_json_shape_only")
    }

    /// The fixture attestation with one member replaced (or removed, for nil) at `path`.
    static func attestation(setting path: [String], to value: JSONValue?) throws -> [UInt8] {
        func replace(_ json: JSONValue, _ path: ArraySlice<String>) throws -> JSONValue {
            guard let key = path.first else { return value ?? .null }
            guard case .object(var members) = json else { throw FixtureError(message: "no object at \(key)") }
            if path.count == 1 && value == nil {
                members.removeValue(forKey: key)
            } else {
                members[key] = try replace(members[key] ?? .null, path.dropFirst())
            }
            return .object(members)
        }
        return try replace(JSONParser.parse(attestationText()), path[...]).serializedBytes()
    }

    @Test(arguments: [
        (#"{"version":"0.3.0","tee":"snp","extra-params":""}"#, E(.unsupportedVersion, field: "version", reason: "")),
        (#"{"version":"0.4.0 ","tee":"snp","extra-params":""}"#, E(.unsupportedVersion, field: "version", reason: "")),
        (#"{"version":"0.4.0","tee":"tdx","extra-params":""}"#, E(.unsupportedTEE, field: "tee", reason: "")),
        (#"{"version":"0.4.0","tee":"sev","extra-params":""}"#, E(.invalidValue, field: "tee", reason: "")),
        (#"{"version":"0.4.0","tee":"SNP","extra-params":""}"#, E(.invalidValue, field: "tee", reason: "")),
        (#"{"version":"0.4.0","tee":"snp"}"#, E(.missingField, field: "extra-params", reason: "")),
        (#"{"version":4,"tee":"snp","extra-params":""}"#, E(.typeMismatch, field: "version", reason: "")),
        (#"{"version":"0.4.0","tee":"snp","extra-params":"","tee":"snp"}"#, E(.malformedJSON, field: "", reason: "")),
        (#"{"version":"0.4.0","tee":"snp","extra-params":""]"#, E(.malformedJSON, field: "", reason: "")),
        (#"["0.4.0","snp"]"#, E(.typeMismatch, field: "", reason: "")),
    ])
    func hostileRequests(text: String, expected: KeyBrokerProtocolError) {
        #expect(throws: expected) {
            let request = try Request(jsonBytes: Array(text.utf8))
            try request.validate()
        }
    }

    @Test func malformedJSONCarriesThePosition() throws {
        let error = try #require(throws: KeyBrokerProtocolError.self) {
            try Challenge(jsonBytes: Array("{\"nonce\":\"abc\",\n\"extra-params\":tru}".utf8))
        }
        #expect(error.code == .malformedJSON)
        guard case .json(let parseError)? = error.underlying else { throw FixtureError(message: "no parse error") }
        #expect(parseError == JSONParseError(reason: .unexpectedByte(UInt8(ascii: "}"), expected: .literal("true")), offset: 34, line: 2, column: 19))
    }

    @Test(arguments: [
        (["runtime-data"], nil, E(.missingField, field: "runtime-data", reason: "")),
        (["runtime-data", "nonce"], nil, E(.missingField, field: "runtime-data.nonce", reason: "")),
        (["runtime-data", "tee-pubkey", "y"], nil, E(.missingField, field: "runtime-data.tee-pubkey.y", reason: "")),
        (["runtime-data", "tee-pubkey", "kty"], "OKP", E(.invalidValue, field: "runtime-data.tee-pubkey.kty", reason: "")),
        (["runtime-data", "nonce"], 42, E(.typeMismatch, field: "runtime-data.nonce", reason: "")),
        (["tee-evidence", "additional_evidence"], nil, E(.missingField, field: "tee-evidence.additional_evidence", reason: "")),
        (["tee-evidence", "additional_evidence"], [:], E(.typeMismatch, field: "tee-evidence.additional_evidence", reason: "")),
        (["init-data"], ["format": "toml"], E(.missingField, field: "init-data.body", reason: "")),
    ] as [([String], JSONValue?, KeyBrokerProtocolError)])
    func hostileAttestations(path: [String], value: JSONValue?, expected: KeyBrokerProtocolError) throws {
        let body = try Self.attestation(setting: path, to: value)
        #expect(throws: expected) { try Attestation(jsonBytes: body) }
    }

    static let report = ["tee-evidence", "primary_evidence", "attestation_report"]
    static let reportField = "tee-evidence.primary_evidence.attestation_report"

    static let evidenceCases: [([String], JSONValue?, KeyBrokerProtocolError)] = [
        (["chip_id"], nil, E(.missingField, field: reportField + ".chip_id", reason: "")),
        (["chip_id"], .array([JSONValue](repeating: 0, count: 63)), E(.invalidValue, field: reportField + ".chip_id", reason: "")),
        (["report_data"], .array([1, 2, 256] + [JSONValue](repeating: 0, count: 61)), E(.invalidValue, field: reportField + ".report_data[2]", reason: "")),
        (["report_data"], .array([1, -1] + [JSONValue](repeating: 0, count: 62)), E(.invalidValue, field: reportField + ".report_data[1]", reason: "")),
        (["report_data"], "AAAA", E(.typeMismatch, field: reportField + ".report_data", reason: "")),
        (["policy"], "196608", E(.typeMismatch, field: reportField + ".policy", reason: "")),
        (["policy"], .number(1.8446744073709552e19), E(.invalidValue, field: reportField + ".policy", reason: "")),
        (["vmpl"], -1, E(.invalidValue, field: reportField + ".vmpl", reason: "")),
        (["signature", "s"], .array([JSONValue](repeating: 0, count: 48)), E(.invalidValue, field: reportField + ".signature.s", reason: "")),
        (["current_tcb", "microcode"], nil, E(.missingField, field: reportField + ".current_tcb.microcode", reason: "")),
        (["version"], 6, E(.invalidEvidence, field: reportField + ".version", reason: "")),
        (["version"], 2, E(.invalidEvidence, field: reportField + ".cpuid_fam_id", reason: "")),
        (["cpuid_step"], nil, E(.invalidEvidence, field: reportField + ".cpuid_step", reason: "")),
        (["launch_mit_vector"], 5, E(.invalidEvidence, field: reportField + ".launch_mit_vector", reason: "")),
        (["reported_tcb", "fmc"], 1, E(.invalidEvidence, field: reportField + ".reported_tcb.fmc", reason: "")),
        (["cpuid_fam_id"], 0x1A, E(.invalidEvidence, field: reportField + ".cpuid_mod_id", reason: "")),
    ]

    @Test(arguments: evidenceCases)
    func hostileEvidence(path: [String], value: JSONValue?, expected: KeyBrokerProtocolError) throws {
        let body = try Self.attestation(setting: Self.report + path, to: value)
        let attestation = try Attestation(jsonBytes: body)  // primary_evidence is opaque to the message
        #expect(throws: expected) { try attestation.snpEvidence() }
    }

    /// Integers written with a fraction or exponent are not integers to serde, nor to us.
    @Test(arguments: ["196608.0", "1.96608e5", "196608e0"])
    func integerMembersRejectNumberSpellings(spelling: String) throws {
        let text = try Self.attestationText()
        #expect(text.contains(#""policy":196608,"#))
        let body = Array(text.replacing(#""policy":196608,"#, with: #""policy":\#(spelling),"#).utf8)
        let attestation = try Attestation(jsonBytes: body)
        #expect(throws: E(.invalidValue, field: Self.reportField + ".policy", reason: "")) { try attestation.snpEvidence() }
    }

    @Test func hostileCertChain() throws {
        let chain: JSONValue = [["cert_type": "vcek", "data": [48]]]
        let attestation = try Attestation(jsonBytes: Self.attestation(setting: ["tee-evidence", "primary_evidence", "cert_chain"], to: chain))
        #expect(throws: E(.invalidValue, field: "tee-evidence.primary_evidence.cert_chain[0].cert_type", reason: "")) {
            try attestation.snpEvidence()
        }
        let lookalike: JSONValue = [["cert_type": "VCE\u{212A}", "data": [48]]]  // KELVIN SIGN
        let other = try Attestation(jsonBytes: Self.attestation(setting: ["tee-evidence", "primary_evidence", "cert_chain"], to: lookalike))
        #expect(throws: E(.invalidValue, field: "tee-evidence.primary_evidence.cert_chain[0].cert_type", reason: "")) {
            try other.snpEvidence()
        }
    }

    @Test(arguments: [
        (#"{"protected":"eyJhbGciOiJmYWtlYWxnIiwiZW5jIjoiZmFrZWVuYyJ9","encrypted_key":"ZmFrZWtleQ==","iv":"","ciphertext":"","tag":""}"#, E(.invalidValue, field: "encrypted_key", reason: "")),
        (#"{"protected":"eyJhbGciOiJmYWtlYWxnIiwiZW5jIjoiZmFrZWVuYyJ9","encrypted_key":"","iv":"a+b/","ciphertext":"","tag":""}"#, E(.invalidValue, field: "iv", reason: "")),
        (#"{"protected":"eyJhbGciOiJmYWtlYWxnIn0","encrypted_key":"","iv":"","ciphertext":"","tag":""}"#, E(.missingField, field: "enc", reason: "")),
        (#"{"protected":"bm90IGpzb24","encrypted_key":"","iv":"","ciphertext":"","tag":""}"#, E(.invalidValue, field: "protected", reason: "")),
        (#"{"protected":"eyJhbGciOiJmYWtlYWxnIiwiZW5jIjoiZmFrZWVuYyJ9","encrypted_key":"","iv":"","ciphertext":""}"#, E(.missingField, field: "tag", reason: "")),
    ])
    func hostileResponses(text: String, expected: KeyBrokerProtocolError) {
        #expect(throws: expected) { try Response(jsonBytes: Array(text.utf8)) }
    }

    @Test func inputLimitsApply() {
        let limits = JSONParser.Limits(maxBytes: 64, maxDepth: 4, maxStringBytes: 16)
        #expect(throws: E(.malformedJSON, field: "", reason: "")) {
            try Challenge(jsonBytes: Array(#"{"nonce":"0123456789abcdefg","extra-params":""}"#.utf8), limits: limits)
        }
    }
}
