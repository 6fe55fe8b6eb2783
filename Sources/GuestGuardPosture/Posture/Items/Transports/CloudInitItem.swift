/// cloud-init after provisioning (channels.md T6): a changed instance-id re-runs `runcmd`, users
/// and SSH keys from host-supplied data. Its units are masked, `cloud-init.disabled` is placed,
/// and the cache is kept across instance changes. Run `deny` after the first boot finished.
public struct CloudInitItem: PostureItem {
    public let id = "cloud-init"
    public let title = "cloud-init"
    public let channel: String? = "P17"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] {
        [.maskUnits(["cloud-init-local.service", "cloud-init.service", "cloud-config.service", "cloud-final.service", "cloud-init-hotplugd.socket"]),
         .ownedFile(path: "/etc/cloud/cloud-init.disabled", contents: ""),
         .ownedFile(path: "/etc/cloud/cloud.cfg.d/99-guestguard.cfg", contents: "# Written by guestguard deny (P17).\nmanual_cache_clean: true\n")]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context, processes: ["cloud-init"])
    }
}
