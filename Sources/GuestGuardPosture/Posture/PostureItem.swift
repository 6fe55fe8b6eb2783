import GuestGuardCore
import CanonicalJSON

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

extension PostureItem {
    /// The standard evaluation of a channel item: its rules, the named processes, and whatever
    /// `extra` adds (mounts, credentials, …).
    func evaluateRules(_ context: PostureContext, processes: [String] = [], extra: (inout RuleCheck) -> Void = { _ in }) -> PostureFinding {
        var check = RuleCheck(rules, processes: processes, context: context)
        extra(&check)
        if !check.notes.isEmpty { check.details["notes"] = .array(check.notes.map { .string($0) }) }
        if !check.failures.isEmpty { return finding(.fail, check.failures.joined(separator: "; "), check.details) }
        if !check.unknowns.isEmpty { return finding(.unknown, check.unknowns.joined(separator: "; "), check.details) }
        if !check.warnings.isEmpty { return finding(.warn, check.warnings.joined(separator: "; "), check.details) }
        let absent = check.notes.isEmpty ? "" : " (\(check.notes.joined(separator: ", ")))"
        return finding(.ok, "denied\(absent)", check.details)
    }
}
