import SNPABI

/// The `[report]` section of an SNP verification policy: what an attestation report must show.
///
/// Defaults (for keys absent from the file) are the fail-closed choices: DEBUG and migration agents
/// forbidden, VMPL 0 only. See `docs/policy.md` for each key.
public struct ReportRequirements: Sendable, Hashable {
    /// Allowed MEASUREMENTs, 48 bytes each; at least one.
    public var measurements: [[UInt8]]
    /// What each allowed MEASUREMENT stands for (`{ value = "…", label = "kernel 6.1.0-58" }` in
    /// `measurements`), named in the broker's audit and by `verify`; unlabelled values are absent.
    public var measurementLabels: [[UInt8]: String] = [:]
    /// POLICY.DEBUG; `.forbid` unless the file says otherwise.
    public var debug: Permission
    /// POLICY.MIGRATE_MA and REPORT_ID_MA; `.forbid` unless the file says otherwise.
    public var migrationAgent: Permission
    /// POLICY.SMT; `.allow` unless the file says otherwise.
    public var smt: Permission
    /// Whether POLICY.SINGLE_SOCKET must be set.
    public var requireSingleSocket: Bool
    /// Allowed VMPLs; `[0]` unless the file says otherwise.
    public var vmpls: [UInt32]
    /// Minimum GUEST_SVN; 0 (no check) unless the file says otherwise.
    public var minimumGuestSVN: UInt32
    /// Minimum CURRENT firmware version; nil for no check.
    public var minimumFirmware: FirmwareVersion?
    /// Minimum POLICY.ABI_MAJOR.ABI_MINOR; nil for no check.
    public var minimumABI: ABIVersion?
    /// Minimum TCB levels and the TCB fields they apply to; nil for no check.
    public var minimumTCB: MinimumTCB?
    /// The file says `minimum-tcb = "any"`: no TCB check, on purpose. `guestguard-broker policy set`
    /// refuses a policy with neither a minimum TCB nor this waiver.
    public var minimumTCBWaived: Bool = false
    /// PLATFORM_INFO requirements; empty for no check.
    public var platformInfo: [PlatformInfoFlag: FlagRequirement]
    /// Exact values required of byte fields (REPORT_DATA, HOST_DATA, …); absent fields are not checked.
    public var expectedBytes: [ReportBytesField: [UInt8]]

    public init(
        measurements: [[UInt8]], debug: Permission = .forbid, migrationAgent: Permission = .forbid,
        smt: Permission = .allow, requireSingleSocket: Bool = false, vmpls: [UInt32] = [0],
        minimumGuestSVN: UInt32 = 0, minimumFirmware: FirmwareVersion? = nil, minimumABI: ABIVersion? = nil,
        minimumTCB: MinimumTCB? = nil, platformInfo: [PlatformInfoFlag: FlagRequirement] = [:],
        expectedBytes: [ReportBytesField: [UInt8]] = [:]
    ) {
        self.measurements = measurements
        self.debug = debug
        self.migrationAgent = migrationAgent
        self.smt = smt
        self.requireSingleSocket = requireSingleSocket
        self.vmpls = vmpls
        self.minimumGuestSVN = minimumGuestSVN
        self.minimumFirmware = minimumFirmware
        self.minimumABI = minimumABI
        self.minimumTCB = minimumTCB
        self.platformInfo = platformInfo
        self.expectedBytes = expectedBytes
    }
}

extension ReportRequirements {
    /// The longest label, in bytes.
    public static let maximumLabelBytes = 128

    /// Nil when `label` may stand for a measurement: 1…128 bytes of printable text (it is echoed
    /// into audit lines and terminals); otherwise why not.
    public static func labelProblem(_ label: String) -> String? {
        guard (1...maximumLabelBytes).contains(label.utf8.count) else { return "a label is 1…\(maximumLabelBytes) bytes" }
        guard label.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) }) else {
            return "a label has no control characters"
        }
        return nil
    }

    /// The label of an allowed measurement, if it has one.
    public func measurementLabel(for measurement: [UInt8]) -> String? { measurementLabels[measurement] }

    /// Adds `measurement` (or relabels it when it is already allowed).
    public mutating func allowMeasurement(_ measurement: [UInt8], label: String?) {
        precondition(measurement.count == 48, "a MEASUREMENT is 48 bytes")
        if !measurements.contains(measurement) { measurements.append(measurement) }
        measurementLabels[measurement] = label
    }

    /// Removes `measurement`; false when it was not allowed.
    public mutating func revokeMeasurement(_ measurement: [UInt8]) -> Bool {
        guard let index = measurements.firstIndex(of: measurement) else { return false }
        measurements.remove(at: index)
        measurementLabels[measurement] = nil
        return true
    }
}

/// Whether the policy allows a guest feature (DEBUG, a migration agent, SMT).
public enum Permission: String, Sendable, Hashable, CaseIterable {
    case allow
    case forbid
}
