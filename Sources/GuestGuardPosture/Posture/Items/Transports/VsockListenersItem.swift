/// AF_VSOCK listeners (channels.md T1): whatever listens on vsock is reachable by the host.
/// `sshd-vsock.socket` (systemd ≥ 256's ssh generator) is masked; the listener set itself needs a
/// `NETLINK_SOCK_DIAG` query, which this item does not make yet (noted in the details).
public struct VsockListenersItem: PostureItem {
    public let id = "vsock-listeners"
    public let title = "vsock listeners"
    public let channel: String? = "P06"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] { [.maskUnits(["sshd-vsock.socket"])] }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context) { check in
            if context.files.exists("/dev/vsock") { check.notes.append("/dev/vsock present; listener set not enumerated") }
        }
    }
}
