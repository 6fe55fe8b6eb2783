import CanonicalJSON
import KeyBrokerProtocol
import Testing

/// guest-components' `test_get_hash_algorithm` table (`Fixtures/kbs/guest-components/
/// hash-algorithm-selection.json`) plus the `""` case Trustee sends for SNP.
@Suite struct HashAlgorithmSelectionTests {
    static func cases() throws -> [JSONValue] {
        let file = try Fixture.json("kbs/guest-components/hash-algorithm-selection.json")
        return try require(file.member("cases").arrayValue, "cases") + require(file.member("added_by_us_not_in_test").arrayValue, "added")
    }

    @Test func everyCaseGivesItsExpectedResult() throws {
        let cases = try Self.cases()
        #expect(cases.count == 15)
        for entry in cases {
            let challenge = Challenge(nonce: "n", extraParams: try entry.member("extra_params"))
            if let expected = entry["expected"]?.stringValue {
                #expect(try challenge.hashAlgorithm().rawValue == expected)
            } else {
                let error = try #require(throws: HashAlgorithm.SelectionError.self) { try challenge.hashAlgorithm() }
                #expect(Self.guestComponentsSpelling(error) == (try entry.string("expected_error")))
            }
        }
    }

    /// guest-components' Debug spelling of the error, e.g. `UnexpectedJSONDataType("string", "[]")`;
    /// the found value is written as serde_json writes it (compact, as JCS does for these).
    static func guestComponentsSpelling(_ error: HashAlgorithm.SelectionError) -> String {
        switch error {
        case .invalidHashAlgorithm(let name):
            return "InvalidHashAlgorithm(\"\(name)\")"
        case .unexpectedJSONDataType(let expected, let found):
            return "UnexpectedJSONDataType(\"\(expected)\", \"\((try? found.canonicalText()) ?? "?")\")"
        }
    }

    @Test func digestSizes() {
        #expect(HashAlgorithm.allCases.map(\.digestByteCount) == [32, 48, 64, 32])
        for algorithm in HashAlgorithm.allCases where algorithm != .sm3 {
            #expect(OpenSSLDigest.digest(algorithm, []).count == algorithm.digestByteCount)
        }
    }
}
