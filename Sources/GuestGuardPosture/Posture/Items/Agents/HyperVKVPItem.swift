/// Hyper-V KVP "data exchange" (channels.md A3): host-set key/value pools, host-initiated IP configuration, guest facts to the host. Azure provisioning uses it: opt out with `hyperv-kvp = "off"`.
public struct HyperVKVPItem: PostureItem {
    public let id = "hyperv-kvp"
    public let title = "Hyper-V data exchange"
    public let channel: String? = "P03"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] {
        [.maskUnits(["hv-kvp-daemon.service", "hyperv-daemons.hv-kvp-daemon.service"])]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context, processes: ["hv_kvp_daemon"])
    }
}
