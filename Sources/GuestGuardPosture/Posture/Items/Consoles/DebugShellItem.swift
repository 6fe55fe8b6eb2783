/// `debug-shell.service`: a root shell on /dev/tty9 without authentication (channels.md C3).
public struct DebugShellItem: PostureItem {
    public let id = "debug-shell"
    public let title = "debug shell"
    public let channel: String? = "P11"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] {
        [.maskUnits(["debug-shell.service"])]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context, processes: [])
    }
}
