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
