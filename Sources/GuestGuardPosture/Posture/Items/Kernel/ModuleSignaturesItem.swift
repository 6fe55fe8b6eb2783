/// Module signature enforcement (channels.md §6): `sig_enforce` is `bool_enable_only` on 6.1,
/// so once `Y` it stays `Y` until reboot (`--undo` cannot revert it).
public struct ModuleSignaturesItem: PostureItem {
    public let id = "module-signatures"
    public let title = "module signature enforcement"
    public let channel: String? = "P28"
    public let defaultMode = DenyMode.enforce
    public init() {}

    static let path = "/sys/module/module/parameters/sig_enforce"

    public var rules: [DenyRule] { [.kernelAttribute(path: Self.path, value: "Y")] }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context) { check in
            if !context.files.exists(Self.path) { check.warnings.append("\(Self.path) absent: kernel without module signing") }
        }
    }
}
