import SNPABI

// Checks on the guest policy the guest owner set at launch (POLICY, report offset 0x008): DEBUG,
// MIGRATE_MA, SMT, SINGLE_SOCKET and the minimum ABI, and the one-bit helper they share.

/// No migration agent: POLICY.MIGRATE_MA (0x008 bit 18) clear, and REPORT_ID_MA (0x160) all 0xFF (the
/// value that means "no migration agent is bound"). Both are checked; each is its own violation.
public struct MigrationAgentForbidden: ReportPolicy, Hashable {
    /// REPORT_ID_MA of a guest without a migration agent.
    public static let noMigrationAgent = [UInt8](repeating: 0xFF, count: 32)

    public init() {}

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        var violations = [bitViolation(
            .migrationAgent, .policyMigrateMA, required: false, actual: report.policy.migrateMA,
            reason: "the guest policy allows a migration agent, which can export the guest's memory")].compactMap { $0 }
        if report.reportIDMA != Self.noMigrationAgent {
            violations.append(PolicyViolation(
                check: .migrationAgent, field: .reportIDMA, expected: Hex.encode(Self.noMigrationAgent),
                actual: Hex.encode(report.reportIDMA), reason: "the guest is bound to a migration agent"))
        }
        return violations
    }
}

/// POLICY.DEBUG (0x008 bit 19) must be clear: with it set, the host may decrypt guest memory through the
/// AMD-SP debug commands, so nothing inside the guest is confidential.
public struct DebugForbidden: ReportPolicy, Hashable {
    public init() {}

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        [bitViolation(
            .debug, .policyDebug, required: false, actual: report.policy.debug,
            reason: "the guest policy lets the host debug (decrypt) the guest")].compactMap { $0 }
    }
}

/// POLICY.SMT (0x008 bit 16) must be clear, so the firmware refuses to run the guest on a host with
/// simultaneous multithreading enabled (sibling-thread side channels).
///
/// To check what the platform actually runs, use ``PlatformInfoRequirements`` with
/// ``PlatformInfoFlag/smtEnabled`` forbidden.
public struct SMTForbidden: ReportPolicy, Hashable {
    public init() {}

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        [bitViolation(
            .smt, .policySMT, required: false, actual: report.policy.smtAllowed,
            reason: "the guest policy allows the host to run with SMT enabled")].compactMap { $0 }
    }
}

/// POLICY.SINGLE_SOCKET (0x008 bit 20) must be set: the guest may only run on one socket.
public struct SingleSocketRequired: ReportPolicy, Hashable {
    public init() {}

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        [bitViolation(
            .singleSocket, .policySingleSocket, required: true, actual: report.policy.singleSocket,
            reason: "the guest policy does not restrict the guest to a single socket")].compactMap { $0 }
    }
}

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

/// A firmware ABI version MAJOR.MINOR, as in POLICY.ABI_MAJOR / ABI_MINOR (0x008 bits 15:8 and 7:0).
public struct ABIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: UInt8
    public let minor: UInt8

    public init(major: UInt8, minor: UInt8) {
        self.major = major
        self.minor = minor
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    /// "1.51".
    public var description: String { "\(major).\(minor)" }
}

/// The violation of a one-bit requirement, or nil when `actual == required`.
func bitViolation(
    _ check: PolicyCheck, _ field: ReportField, required: Bool, actual: Bool, reason: String
) -> PolicyViolation? {
    guard actual != required else { return nil }
    return PolicyViolation(
        check: check, field: field, expected: required ? "1" : "0", actual: actual ? "1" : "0", reason: reason)
}
