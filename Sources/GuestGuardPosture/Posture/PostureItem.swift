/// One thing `guestguard status` checks and `guestguard deny` may enforce. Adding a check means
/// adding one conforming type in its own file and naming it in `PostureCatalog`.
public protocol PostureItem: Sendable {
    /// Stable identifier used in JSON and in policy files.
    var id: String { get }
    var title: String { get }
    /// The channels.md §10 row (`P01`…`P32`) this item implements; nil for items outside it.
    var channel: String? { get }
    /// The mode when the policy file does not name the item (channels.md §10).
    var defaultMode: DenyMode { get }
    /// What `enforce` applies; empty when the item cannot be fixed from inside the guest.
    var rules: [DenyRule] { get }
    /// Reads what it needs through the context; never throws: an unreadable or garbled input gives
    /// `.unknown` with the reason.
    func evaluate(_ context: PostureContext) -> PostureFinding
}

extension PostureItem {
    public var channel: String? { nil }
    public var defaultMode: DenyMode { .report }
    public var rules: [DenyRule] { [] }

    func finding(_ state: PostureState, _ reason: String, _ details: [String: CanonicalJSON.JSONValue] = [:]) -> PostureFinding {
        PostureFinding(id: id, title: title, state: state, reason: reason, details: details, channel: channel)
    }
}

import GuestGuardCore
import CanonicalJSON
