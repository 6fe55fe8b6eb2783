import SNPABI

/// VMPL (0x030) must be one of the allowed levels; `[0]` by default (the guest kernel itself, no SVSM
/// below it). A guest under an SVSM asks for its reports at VMPL 1 or higher.
public struct VMPLAllowList: ReportPolicy, Hashable {
    public let allowed: [UInt32]

    public init(_ allowed: [UInt32] = [0]) {
        self.allowed = allowed
    }

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        if allowed.contains(report.vmpl) { return [] }
        return [PolicyViolation(
            check: .vmpl, field: .vmpl,
            expected: allowed.isEmpty ? "nothing (empty allow-list)" : oneOf(allowed.map(String.init)),
            actual: String(report.vmpl), reason: "the report was requested at a VMPL the policy does not allow")]
    }
}
