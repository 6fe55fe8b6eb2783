/// The Hyper-V and VMware AF_VSOCK transports (channels.md A5, T1): `net-pf-40` would autoload them on the first `socket(AF_VSOCK)`; blocked in modprobe.d (regenerate the initramfs for early boot).
public struct VsockTransportsItem: PostureItem {
    public let id = "vsock-transports"
    public let title = "vsock transports"
    public let channel: String? = "P05"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] {
        [.blockModules(["hv_sock", "vmw_vsock_vmci_transport"])]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context, processes: [])
    }
}
