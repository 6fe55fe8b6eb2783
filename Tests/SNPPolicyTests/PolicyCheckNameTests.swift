import SNPPolicy
import Testing

/// The check names are the policy-file keys; the byte fields' names are listed once
/// (`ReportBytesField`) and the checks derive theirs from it.
@Suite struct PolicyCheckNameTests {
    @Test func everyByteFieldIsACheckOfTheSameName() {
        for field in ReportBytesField.allCases {
            #expect(field.check.rawValue == field.rawValue)
            #expect(PolicyCheck(rawValue: field.rawValue) == field.check)
            #expect(PolicyCheck.allCases.contains(field.check))
        }
        #expect(PolicyCheck.hostData == .expectedBytes(.hostData))
    }

    @Test func checkNamesAreUniqueAndRoundTrip() {
        let names = PolicyCheck.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        #expect(names.count == 11 + ReportBytesField.allCases.count)
        for check in PolicyCheck.allCases { #expect(PolicyCheck(rawValue: check.rawValue) == check) }
        #expect(PolicyCheck(rawValue: "no-such-check") == nil)
        #expect(PolicyCheck.measurement.rawValue == "measurements")
    }
}
