/// The deny policy (`/etc/guestguard/policy.toml`, docs/deny.md): a mode per posture item and the
/// watcher's re-check interval. Items the file does not name keep their channels.md §10 default.
public struct DenyPolicy: Sendable, Hashable {
    public static let defaultPath = "/etc/guestguard/policy.toml"

    /// Modes the file sets explicitly, by item id.
    public let modes: [String: DenyMode]
    /// Seconds between full re-checks by the watcher (inotify events trigger earlier ones).
    public let intervalSeconds: Int

    public init(modes: [String: DenyMode] = [:], intervalSeconds: Int = 60) {
        self.modes = modes
        self.intervalSeconds = intervalSeconds
    }

    /// The defaults of channels.md §10 for every item.
    public static let standard = DenyPolicy()

    public func mode(for item: any PostureItem) -> DenyMode { modes[item.id] ?? item.defaultMode }

    /// The items to enforce, in catalog order.
    public func enforced(_ items: [any PostureItem]) -> [any PostureItem] { items.filter { mode(for: $0) == .enforce } }
}

/// What the deny policy does with one posture item (channels.md §10).
public enum DenyMode: String, Sendable, Hashable, CaseIterable {
    /// guestguard applies the item's rules and re-applies them when they drift.
    case enforce
    /// The posture fails when the item is not met; guestguard cannot fix it from inside
    /// (the kernel command line, the disk layout, the SNP launch policy).
    case require
    /// Informational: a failing item is shown as a warning.
    case report
    /// Neither evaluated nor enforced.
    case off
}
