/// Hyper-V VSS backup daemon (channels.md A4): host-triggered FIFREEZE of guest filesystems.
public struct HyperVVSSItem: PostureItem {
    public let id = "hyperv-vss"
    public let title = "Hyper-V VSS"
    public let channel: String? = "P04"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] {
        [.maskUnits(["hv-vss-daemon.service", "hyperv-daemons.hv-vss-daemon.service"])]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context, processes: ["hv_vss_daemon"])
    }
}
