/// Kernel information-leak and NMI settings (channels.md §6, T8, C12): kernel pointers and the
/// log hidden from users, ptrace limited to admins, unprivileged BPF off, console log level 3,
/// host NMIs never panic (kdump), and systemd's status lines off the console.
public struct InfoLeakSysctlsItem: PostureItem {
    public let id = "info-leak-sysctls"
    public let title = "kernel info-leak settings"
    public let channel: String? = "P29"
    public let defaultMode = DenyMode.enforce
    public init() {}

    static let settings: [(String, String)] = [
        ("kernel.kptr_restrict", "2"), ("kernel.dmesg_restrict", "1"), ("kernel.yama.ptrace_scope", "2"),
        ("kernel.unprivileged_bpf_disabled", "1"), ("kernel.printk", "3 4 1 3"), ("kernel.unknown_nmi_panic", "0"),
        ("kernel.panic_on_unrecovered_nmi", "0"), ("kernel.panic_on_io_nmi", "0"),
    ]

    public var rules: [DenyRule] {
        Self.settings.map { DenyRule.sysctl(key: $0.0, value: $0.1) }
            + [.ownedFile(path: "/etc/systemd/system.conf.d/guestguard-show-status.conf", contents: "# Written by guestguard deny (P29).\n[Manager]\nShowStatus=no\n")]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding { evaluateRules(context) }
}
