/// One thing `guestguard status` checks. Adding a check means adding one conforming type in
/// its own file and naming it in `PostureCatalog.standard`.
public protocol PostureItem: Sendable {
    /// Stable identifier used in JSON and in policy files.
    var id: String { get }
    var title: String { get }
    /// Reads what it needs through the context; never throws: an unreadable or garbled input gives
    /// `.unknown` with the reason.
    func evaluate(_ context: PostureContext) -> PostureFinding
}

extension PostureItem {
    func finding(_ state: PostureState, _ reason: String, _ details: [String: CanonicalJSON.JSONValue] = [:]) -> PostureFinding {
        PostureFinding(id: id, title: title, state: state, reason: reason, details: details)
    }
}

import CanonicalJSON
