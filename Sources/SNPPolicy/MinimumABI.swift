import SNPABI

/// The guest policy's ABI_MAJOR.ABI_MINOR (0x008 bits 15:0) must be at least the minimum.
///
/// The guest owner sets these bits at launch; the firmware refuses to launch the guest on an older ABI.
/// Requiring a minimum here means the guest was launched with that demand in its policy.
public struct MinimumABI: ReportPolicy, Hashable {
    public let minimum: ABIVersion

    public init(_ minimum: ABIVersion) {
        self.minimum = minimum
    }

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        let actual = ABIVersion(major: report.policy.abiMajor, minor: report.policy.abiMinor)
        guard actual < minimum else { return [] }
        return [PolicyViolation(
            check: .minimumABI, field: .policyABI, expected: ">= \(minimum)", actual: actual.description,
            reason: "the guest policy's minimum firmware ABI is below the required one")]
    }
}
