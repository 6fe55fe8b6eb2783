import SNPABI

/// POLICY.SINGLE_SOCKET (0x008 bit 20) must be set: the guest may only run on one socket.
public struct SingleSocketRequired: ReportPolicy, Hashable {
    public init() {}

    public func evaluate(_ report: AttestationReport) -> [PolicyViolation] {
        [bitViolation(
            .singleSocket, .policySingleSocket, required: true, actual: report.policy.singleSocket,
            reason: "the guest policy does not restrict the guest to a single socket")].compactMap { $0 }
    }
}
