/// open-vm-tools (channels.md A6, §5.2): guest operations (run programs, copy files),
/// guest customization (default on, no credentials needed) and the component manager. Masked,
/// and `tools.conf` turns the three plugins off should the units come back.
public struct VMwareToolsItem: PostureItem {
    public let id = "vmware-tools"
    public let title = "VMware tools"
    public let channel: String? = "P07"
    public let defaultMode = DenyMode.enforce
    public init() {}

    static let configPath = "/etc/vmware-tools/tools.conf"
    static let config = """
        # Written by guestguard deny (P07); guestguard deny --undo restores the previous file.
        [guestoperations]
        disabled=true

        [deployPkg]
        enable-customization=false

        [componentmgr]
        included=none

        """

    public var rules: [DenyRule] {
        [.maskUnits(["open-vm-tools.service", "vgauth.service"]), .ownedFile(path: Self.configPath, contents: Self.config)]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context, processes: ["vmtoolsd", "VGAuthService"])
    }
}
