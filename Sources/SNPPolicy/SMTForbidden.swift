import SNPABI

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
