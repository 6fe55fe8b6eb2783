import SNPABI

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
