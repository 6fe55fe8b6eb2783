import GuestGuardConfig
import SNPPolicy
import Testing

/// Issue 12, defect 10: "no minimum TCB" must be said (`minimum-tcb = "any"`), and a policy can
/// list what it leaves open.
@Suite struct UnconstrainedPolicyTests {
    static let base = "version = 1\n[report]\nmeasurements = [\"\(Known.goSEVGuestMeasurement)\"]\n"

    @Test func anyIsAnExplicitWaiverThatRoundTrips() throws {
        let policy = try SNPVerificationPolicy(parsing: Self.base + "minimum-tcb = \"any\"\n", fileName: "policy.toml")
        #expect(policy.report.minimumTCBWaived && policy.report.minimumTCB == nil)
        #expect(policy.implicitlyUnconstrained.isEmpty)
        #expect(policy.unconstrained.first == "minimum-tcb: any TCB is accepted (minimum-tcb = \"any\")")
        let shown = policy.tomlText()
        #expect(shown.contains("minimum-tcb = \"any\"\n"))
        #expect(try SNPVerificationPolicy(parsing: shown, fileName: "shown.toml") == policy)
    }

    @Test func silenceIsImplicitlyOpenAndOtherWordsAreErrors() throws {
        let silent = try SNPVerificationPolicy(parsing: Self.base, fileName: "policy.toml")
        #expect(silent.implicitlyUnconstrained == ["minimum-tcb (no minimum TCB: any TCB would be accepted)"])
        #expect(silent.unconstrained.first == "minimum-tcb: any TCB is accepted (no minimum-tcb)")
        do {
            _ = try SNPVerificationPolicy(parsing: Self.base + "minimum-tcb = \"none\"\n", fileName: "policy.toml")
            Issue.record("\"none\" accepted")
        } catch {
            #expect(error.description.hasPrefix("policy.toml:4:15: key \"report.minimum-tcb\""), "\(error.description)")
            #expect(error.description.contains("\"any\""))
        }
    }

    @Test func aTightPolicyListsOnlyWhatItReallyLeavesOpen() throws {
        let tight = try SNPVerificationPolicy(parsing: Self.base + """
            minimum-guest-svn = 1
            minimum-firmware = "1.55"
            minimum-abi = "1.51"
            host-data = "\(String(repeating: "ab", count: 32))"
            id-key-digest = "\(String(repeating: "cd", count: 48))"
            author-key-digest = "\(String(repeating: "ef", count: 48))"
            [report.minimum-tcb]
            snp = 8
            [report.platform-info]
            tsme-enabled = "require"
            [tpm]
            quote = "require"
            """, fileName: "policy.toml")
        #expect(tight.unconstrained.isEmpty, "\(tight.unconstrained)")
        let loose = try SNPVerificationPolicy(parsing: Self.base + "debug = \"allow\"\nminimum-tcb = \"any\"\n", fileName: "policy.toml")
        #expect(loose.unconstrained.contains("debug: DEBUG guests are accepted (the host can read their memory)"))
        #expect(loose.unconstrained.contains("host-data: HOST_DATA (0x0C0) is not checked"))
        #expect(loose.unconstrained.contains("tpm: no TPM quote is required"))
    }
}
