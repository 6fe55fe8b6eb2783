/// The state of one posture item.
public enum PostureState: String, Sendable, Hashable, CaseIterable, Comparable {
    case ok
    /// Could not be determined; counts like `warn` for the exit code.
    case unknown
    case warn
    case fail

    var severity: Int {
        switch self {
        case .ok: return 0
        case .unknown: return 1
        case .warn: return 2
        case .fail: return 3
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.severity < rhs.severity }
}
