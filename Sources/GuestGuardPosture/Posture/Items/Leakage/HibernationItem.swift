/// Hibernation (channels.md L3): RAM written to swap, on host request (qemu-ga
/// `guest-suspend-disk`) or a host-supplied `resume=`. systemd refuses to hibernate and the
/// targets are masked.
public struct HibernationItem: PostureItem {
    public let id = "hibernation"
    public let title = "hibernation"
    public let channel: String? = "P24"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] {
        [.ownedFile(path: "/etc/systemd/sleep.conf.d/guestguard.conf",
                    contents: "# Written by guestguard deny (P24).\n[Sleep]\nAllowHibernation=no\nAllowHybridSleep=no\nAllowSuspendThenHibernate=no\n"),
         .maskUnits(["hibernate.target", "hybrid-sleep.target", "suspend-then-hibernate.target"])]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding { evaluateRules(context) }
}
