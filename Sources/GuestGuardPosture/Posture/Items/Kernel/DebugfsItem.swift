/// debugfs (channels.md §6): kernel internals for root, and for anyone who gets code execution
/// through another channel. The mount unit is masked; a mounted debugfs fails the item until it
/// is unmounted (or `debugfs=off` is on a measured command line).
public struct DebugfsItem: PostureItem {
    public let id = "debugfs"
    public let title = "debugfs"
    public let channel: String? = "P30"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] { [.maskUnits(["sys-kernel-debug.mount"])] }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context) { check in
            guard let text = try? context.files.readText("/proc/self/mountinfo", limit: 4 << 20), let table = try? MountTable(parsing: text) else {
                check.unknowns.append("cannot read /proc/self/mountinfo")
                return
            }
            for entry in table.entries where entry.fileSystemType == "debugfs" {
                check.failures.append("debugfs mounted at \(entry.mountPoint)")
            }
        }
    }
}
