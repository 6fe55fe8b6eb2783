import SNPABI

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
