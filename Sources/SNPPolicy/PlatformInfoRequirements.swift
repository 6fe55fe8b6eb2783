import SNPABI

/// PLATFORM_INFO (0x040) bits that must be set or clear, for example "TSME required", "ciphertext
/// hiding required", "SMT must not be enabled". Flags without a requirement are not checked; each
/// flag in the wrong state is one violation, in ``PlatformInfoFlag`` order.
public struct PlatformInfoRequirements: ReportPolicy, Hashable {
    public let requirements: [PlatformInfoFlag: FlagRequirement]

    public init(_ requirements: [PlatformInfoFlag: FlagRequirement]) {
        self.requirements = requirements
    }

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        PlatformInfoFlag.allCases.compactMap { flag in
            guard let requirement = requirements[flag] else { return nil }
            let required = requirement == .require
            return bitViolation(
                .platformInfo, flag.reportField, required: required, actual: flag.isSet(in: report.platformInfo),
                reason: "the platform runs with \(flag.specName) \(required ? "clear" : "set")")
        }
    }
}
