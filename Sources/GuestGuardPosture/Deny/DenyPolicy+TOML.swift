import GuestGuardCore
import GuestGuardConfig

extension DenyPolicy {
    /// Parses a policy file:
    ///
    /// ```toml
    /// [items]
    /// hyperv-kvp = "off"
    /// ssh-authorized-keys-command = "enforce"
    ///
    /// [watch]
    /// interval-seconds = 60
    /// ```
    ///
    /// Unknown tables, unknown item ids and unknown modes are errors naming `file:line:column` and
    /// the key; so is `enforce` for an item without an enforce action.
    public init(parsing text: String, fileName: String, items: [any PostureItem] = PostureCatalog.all) throws(ConfigError) {
        let root = try TOMLTable(parsing: text, fileName: fileName)
        try root.requireKnownKeys(["items", "watch"])
        var modes: [String: DenyMode] = [:]
        if let table = try root["items"]?.table() {
            try table.requireKnownKeys(items.map(\.id))
            for entry in table.entries {
                let mode = try entry.value.keyword(DenyMode.self)
                if mode == .enforce, let item = items.first(where: { $0.id == entry.key }), item.rules.isEmpty {
                    throw entry.value.invalid(expected: "\"require\", \"report\" or \"off\" (\(entry.key) has no enforce action)")
                }
                modes[entry.key] = mode
            }
        }
        var interval = 60
        if let watch = try root["watch"]?.table() {
            try watch.requireKnownKeys(["interval-seconds"])
            if let value = watch["interval-seconds"] { interval = try value.integer(in: 1...86_400) }
        }
        self.init(modes: modes, intervalSeconds: interval)
    }
}
