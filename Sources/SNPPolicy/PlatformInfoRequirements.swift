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

/// What a policy demands of one flag: that it is set, or that it is clear.
public enum FlagRequirement: String, Sendable, Hashable, CaseIterable {
    case require
    case forbid
}

/// A bit of PLATFORM_INFO (0x040; `docs/snp-abi.md` §3.2): the platform's state when it made the report.
public enum PlatformInfoFlag: String, Sendable, Hashable, CaseIterable {
    /// Bit 0 SMT_EN: SMT is enabled on the host.
    case smtEnabled = "smt-enabled"
    /// Bit 1 TSME_EN: transparent SME is enabled.
    case tsmeEnabled = "tsme-enabled"
    /// Bit 2 ECC_EN: the platform uses ECC memory.
    case eccEnabled = "ecc-enabled"
    /// Bit 3 RAPL_DIS: RAPL is disabled.
    case raplDisabled = "rapl-disabled"
    /// Bit 4 CIPHERTEXT_HIDING_EN: DRAM ciphertext hiding is enabled.
    case ciphertextHidingEnabled = "ciphertext-hiding-enabled"
    /// Bit 5 ALIAS_CHECK_COMPLETE: the BadRAM alias check ran (AMD-SB-3015).
    case aliasCheckComplete = "alias-check-complete"
    /// Bit 7 TIO_EN: SEV-TIO is enabled.
    case tioEnabled = "tio-enabled"

    public var bit: Int {
        switch self {
        case .smtEnabled: return 0
        case .tsmeEnabled: return 1
        case .eccEnabled: return 2
        case .raplDisabled: return 3
        case .ciphertextHidingEnabled: return 4
        case .aliasCheckComplete: return 5
        case .tioEnabled: return 7
        }
    }

    /// SMT_EN, TSME_EN, ECC_EN, RAPL_DIS, CIPHERTEXT_HIDING_EN, ALIAS_CHECK_COMPLETE, TIO_EN.
    public var specName: String {
        switch self {
        case .smtEnabled: return "SMT_EN"
        case .tsmeEnabled: return "TSME_EN"
        case .eccEnabled: return "ECC_EN"
        case .raplDisabled: return "RAPL_DIS"
        case .ciphertextHidingEnabled: return "CIPHERTEXT_HIDING_EN"
        case .aliasCheckComplete: return "ALIAS_CHECK_COMPLETE"
        case .tioEnabled: return "TIO_EN"
        }
    }

    public var reportField: ReportField {
        ReportField(name: "PLATFORM_INFO.\(specName)", offset: 0x040, bit: bit)
    }

    public func isSet(in info: PlatformInfo) -> Bool {
        info.rawValue & (1 << UInt64(bit)) != 0
    }
}
