import SNPABI

/// GUEST_SVN (0x004, from the ID block) must be at least the minimum: rejects guest images older than
/// the one that fixed a known flaw.
public struct MinimumGuestSVN: ReportPolicy, Hashable {
    public let minimum: UInt32

    public init(_ minimum: UInt32) {
        self.minimum = minimum
    }

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        guard report.guestSVN < minimum else { return [] }
        return [PolicyViolation(
            check: .minimumGuestSVN, field: .guestSVN, expected: ">= \(minimum)", actual: String(report.guestSVN),
            reason: "the guest's security version is below the minimum")]
    }
}
