import GuestGuardCore
import CanonicalJSON

/// The evaluated state of one posture item.
public struct PostureFinding: Sendable, Hashable {
    /// Stable identifier, e.g. `memory-encryption`.
    public let id: String
    public let title: String
    public let state: PostureState
    /// One line saying why.
    public let reason: String
    /// Facts behind the state, for the JSON document.
    public let details: [String: JSONValue]
    /// The channels.md §10 row (`P14`), when the item implements one.
    public let channel: String?
    /// The policy mode the finding was evaluated under; nil when no policy was applied
    /// (`guestguard status` without `--policy`).
    public let mode: DenyMode?

    public init(id: String, title: String, state: PostureState, reason: String, details: [String: JSONValue] = [:],
                channel: String? = nil, mode: DenyMode? = nil)
    {
        self.id = id
        self.title = title
        self.state = state
        self.reason = reason
        self.details = details
        self.channel = channel
        self.mode = mode
    }

    /// The finding as the policy mode shows it: `report` turns a failure into a warning
    /// (informational), the other modes keep the state.
    public func under(_ mode: DenyMode) -> PostureFinding {
        let shown = mode == .report && state == .fail ? PostureState.warn : state
        return PostureFinding(id: id, title: title, state: shown, reason: reason, details: details, channel: channel, mode: mode)
    }
}

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
