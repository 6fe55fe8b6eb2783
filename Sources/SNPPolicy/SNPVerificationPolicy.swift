import SNPABI

/// A tenant's SNP verification policy: the report requirements and the trusted roots, as written in a
/// versioned TOML file (`docs/policy.md`).
///
/// Read one with ``init(parsing:fileName:)``, show it with ``tomlText()``, and check reports with
/// ``reportPolicy``.
public struct SNPVerificationPolicy: Sendable, Hashable {
    /// The file format version this build reads and writes.
    public static let currentVersion: Int64 = 1

    public var report: ReportRequirements
    public var trust: TrustPolicy
    /// The `[tpm]` section; nil when the file has none (a quote is then neither required nor checked
    /// against pins, though the broker still verifies any quote it receives).
    public var tpm: TPMRequirements?

    public init(report: ReportRequirements, trust: TrustPolicy = .amdOnly, tpm: TPMRequirements? = nil) {
        self.report = report
        self.trust = trust
        self.tpm = tpm
    }

    /// The checks the `[report]` section asks for, in a fixed order: measurement, DEBUG, migration
    /// agent, SMT, single socket, VMPL, guest SVN, firmware, ABI, TCB, platform info, byte fields.
    public var reportPolicy: ReportPolicySet {
        let report = self.report
        return ReportPolicySet {
            MeasurementAllowList(report.measurements, labels: report.measurementLabels)
            if report.debug == .forbid { DebugForbidden() }
            if report.migrationAgent == .forbid { MigrationAgentForbidden() }
            if report.smt == .forbid { SMTForbidden() }
            if report.requireSingleSocket { SingleSocketRequired() }
            VMPLAllowList(report.vmpls)
            if report.minimumGuestSVN > 0 { MinimumGuestSVN(report.minimumGuestSVN) }
            if let minimum = report.minimumFirmware { MinimumFirmware(minimum) }
            if let minimum = report.minimumABI { MinimumABI(minimum) }
            if let minimum = report.minimumTCB { minimum }
            if !report.platformInfo.isEmpty { PlatformInfoRequirements(report.platformInfo) }
            for field in ReportBytesField.allCases {
                if let expected = report.expectedBytes[field] { ExpectedBytes(field, expected) }
            }
        }
    }
}
