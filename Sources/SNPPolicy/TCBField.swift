import SNPABI

/// Which of the report's four TCB_VERSION fields a minimum applies to.
///
/// - ``reported``: REPORTED_TCB (0x180), the TCB the VCEK/VLEK was derived from. The verifier binds the
///   VCEK's SPL extensions to exactly this value, so it is the one a minimum must apply to.
/// - ``current``: CURRENT_TCB (0x038), what runs now; may be newer than REPORTED_TCB until the host
///   operator commits it.
/// - ``committed``: COMMITTED_TCB (0x1E0), the anti-rollback floor of the platform.
/// - ``launch``: LAUNCH_TCB (0x1F0), CURRENT_TCB when the guest was launched or imported; a minimum
///   here rejects guests that were started before a firmware update.
public enum TCBField: String, Sendable, Hashable, CaseIterable {
    case reported
    case current
    case committed
    case launch

    /// REPORTED_TCB, CURRENT_TCB, COMMITTED_TCB, LAUNCH_TCB.
    public var specName: String { rawValue.uppercased() + "_TCB" }

    public var offset: Int {
        switch self {
        case .reported: return 0x180
        case .current: return 0x038
        case .committed: return 0x1E0
        case .launch: return 0x1F0
        }
    }

    public func value(in report: AttestationReport) -> TCBVersion {
        switch self {
        case .reported: return report.reportedTCB
        case .current: return report.currentTCB
        case .committed: return report.committedTCB
        case .launch: return report.launchTCB
        }
    }
}
