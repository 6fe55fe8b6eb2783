import SNPPolicy
import Testing

/// The `[tpm]` section: parsing, rendering back, rejection with the key named, and evaluation.
@Suite struct TPMPolicyTests {
    static let pcr15 = String(repeating: "ab", count: 32)
    static let pcr7 = String(repeating: "0", count: 64)

    static func policy(_ tpm: String) -> String {
        "version = 1\n[report]\nmeasurements = [\"\(Known.goSEVGuestMeasurement)\"]\n\n" + tpm + "\n"
    }

    @Test func readsPinsAndRendersThemBack() throws {
        let policy = try SNPVerificationPolicy(
            parsing: Self.policy("[tpm]\nquote = \"require\"\n[tpm.pcrs]\n15 = \"\(Self.pcr15)\"\n7 = \"\(Self.pcr7)\""), fileName: "p.toml")
        let tpm = try #require(policy.tpm)
        #expect(tpm.requireQuote)
        #expect(tpm.pcrs.keys.sorted() == [7, 15])
        #expect(tpm.pcrs[15] == [UInt8](repeating: 0xab, count: 32))
        let shown = policy.tomlText()
        #expect(shown.contains("[tpm.pcrs]\n7 = \"\(Self.pcr7)\"\n15 = \"\(Self.pcr15)\""))
        #expect(try SNPVerificationPolicy(parsing: shown, fileName: "shown.toml") == policy)
    }

    @Test func anInlineTableAndTheDefaultQuoteSettingWork() throws {
        let policy = try SNPVerificationPolicy(parsing: Self.policy("[tpm]\npcrs = { \"15\" = \"\(Self.pcr15)\" }"), fileName: "p.toml")
        #expect(policy.tpm == TPMRequirements(requireQuote: true, pcrs: [15: [UInt8](repeating: 0xab, count: 32)]))
        let optional = try SNPVerificationPolicy(parsing: Self.policy("[tpm]\nquote = \"optional\""), fileName: "p.toml")
        #expect(optional.tpm?.requireQuote == false)
        #expect(try SNPVerificationPolicy(parsing: Self.policy(""), fileName: "p.toml").tpm == nil)
    }

    @Test(arguments: [
        ("[tpm]\n[tpm.pcrs]\n12 = \"\(pcr15)\"", #"key "tpm.pcrs.12": expected a key that is a quoted PCR index (0-9, 11, 14, 15)"#),
        ("[tpm]\n[tpm.pcrs]\n015 = \"\(pcr15)\"", #"key "tpm.pcrs.015": expected a key that is a quoted PCR index"#),
        ("[tpm]\n[tpm.pcrs]\n15 = \"abcd\"", #"key "tpm.pcrs.15""#),
        ("[tpm]\nquote = \"optional\"\n[tpm.pcrs]\n15 = \"\(pcr15)\"", #"key "tpm.quote": expected "require" (pinned PCRs need a quote)"#),
        ("[tpm]\nquote = \"maybe\"", #"key "tpm.quote""#),
        ("[tpm]\npcr = 1", #"key "tpm.pcr": unknown key (known keys: quote, pcrs)"#),
    ])
    func rejectsMalformedSections(text: String, expected: String) {
        let error = #expect(throws: PolicyFileError.self) { try SNPVerificationPolicy(parsing: Self.policy(text), fileName: "p.toml") }
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
    }

    @Test func evaluationNamesEveryViolation() {
        let requirements = TPMRequirements(pcrs: [7: [UInt8](repeating: 0, count: 32), 15: [UInt8](repeating: 0xab, count: 32)])
        #expect(requirements.requireQuote)
        #expect(requirements.violations(quoted: nil) == ["tpm-quote-required: the policy requires a TPM quote and the evidence has none"])
        let good: [Int: [UInt8]] = [7: [UInt8](repeating: 0, count: 32), 15: [UInt8](repeating: 0xab, count: 32)]
        #expect(requirements.violations(quoted: good).isEmpty)
        var bad = good
        bad[15]![31] = 0
        bad[7] = nil
        let violations = requirements.violations(quoted: bad)
        #expect(violations.count == 2)
        #expect(violations[0] == "tpm-pcr-policy: PCR 7 is not in the quote")
        #expect(violations[1].hasPrefix("tpm-pcr-policy: PCR 15 is abab"))
        #expect(TPMRequirements(requireQuote: false).violations(quoted: nil).isEmpty)
    }
}
