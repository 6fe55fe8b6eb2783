/// efi-pstore writes oops and panic logs into UEFI variables, which live in the host's VARS file (channels.md L5); Debian's `systemd-pstore.service` pulls the module in.
public struct EFIPstoreItem: PostureItem {
    public let id = "efi-pstore"
    public let title = "efi-pstore"
    public let channel: String? = "P23"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] {
        [.blockModules(["efi_pstore"]), .maskUnits(["modprobe@efi_pstore.service"])]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context, processes: [])
    }
}
