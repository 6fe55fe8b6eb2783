/// Login prompts on virtual terminals (channels.md C2): the display and keyboard are emulated by
/// the host (VNC, SPICE, VMConnect). The getty templates are masked and logind keeps no VTs for
/// autovt (`NAutoVTs=0 ReserveVT=0`).
public struct VirtualTerminalGettysItem: PostureItem {
    public let id = "vt-gettys"
    public let title = "virtual terminal gettys"
    public let channel: String? = "P10"
    public let defaultMode = DenyMode.enforce
    public init() {}

    static let logindDropIn = "/etc/systemd/logind.conf.d/guestguard.conf"

    public var rules: [DenyRule] {
        [.maskUnits(["getty@.service", "autovt@.service", "getty-static.service", "console-getty.service", "container-getty@.service"]),
         .ownedFile(path: Self.logindDropIn, contents: "# Written by guestguard deny (P10).\n[Login]\nNAutoVTs=0\nReserveVT=0\n")]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding { evaluateRules(context) }
}
