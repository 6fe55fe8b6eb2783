/// SPICE vdagent (channels.md A7, §5.3): clipboard both ways, host-to-guest file transfer and
/// mouse injection; the guest has no switch for file transfer, so the daemon and its socket are
/// masked and the session autostart entry is hidden (`Hidden=true` overrides the package's
/// `/etc/xdg/autostart` conffile).
public struct SpiceAgentItem: PostureItem {
    public let id = "spice-vdagent"
    public let title = "SPICE vdagent"
    public let channel: String? = "P08"
    public let defaultMode = DenyMode.enforce
    public init() {}

    static let autostartPath = "/etc/xdg/autostart/spice-vdagent.desktop"
    static let autostart = """
        # Written by guestguard deny (P08); guestguard deny --undo restores the previous file.
        [Desktop Entry]
        Type=Application
        Name=Spice vdagent
        Exec=/bin/false
        Hidden=true

        """

    public var rules: [DenyRule] {
        [.maskUnits(["spice-vdagentd.service", "spice-vdagentd.socket", "spice-vdagent.service"]),
         .ownedFile(path: Self.autostartPath, contents: Self.autostart)]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context, processes: ["spice-vdagentd", "spice-vdagent"])
    }
}
