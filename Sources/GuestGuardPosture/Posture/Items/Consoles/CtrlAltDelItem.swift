/// Ctrl-Alt-Del (channels.md C5): an injected keystroke reboots the guest; seven within two
/// seconds force it. The target is masked and the burst action set to `none`.
public struct CtrlAltDelItem: PostureItem {
    public let id = "ctrl-alt-del"
    public let title = "Ctrl-Alt-Del"
    public let channel: String? = "P13"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] {
        [.maskUnits(["ctrl-alt-del.target"]),
         .ownedFile(path: "/etc/systemd/system.conf.d/guestguard-ctrl-alt-del.conf",
                    contents: "# Written by guestguard deny (P13).\n[Manager]\nCtrlAltDelBurstAction=none\n")]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding { evaluateRules(context) }
}
