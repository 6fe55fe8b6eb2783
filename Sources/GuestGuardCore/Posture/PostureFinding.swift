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

    public init(id: String, title: String, state: PostureState, reason: String, details: [String: JSONValue] = [:]) {
        self.id = id
        self.title = title
        self.state = state
        self.reason = reason
        self.details = details
    }
}
