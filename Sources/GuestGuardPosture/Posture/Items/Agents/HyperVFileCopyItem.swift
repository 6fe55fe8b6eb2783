/// Hyper-V Guest Services file copy (channels.md A2): `hv_fcopy_daemon` writes host-sent files anywhere as root; from Linux 6.10 the channel goes through `uio_hv_generic` to `hv_fcopy_uio_daemon`, so the module is blocked too.
public struct HyperVFileCopyItem: PostureItem {
    public let id = "hyperv-fcopy"
    public let title = "Hyper-V file copy"
    public let channel: String? = "P02"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] {
        [.maskUnits(["hv-fcopy-daemon.service", "hyperv-daemons.hv-fcopy-daemon.service"]), .blockModules(["uio_hv_generic"])]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context, processes: ["hv_fcopy_daemon", "hv_fcopy_uio_daemon"])
    }
}
