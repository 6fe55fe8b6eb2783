/// Core dumps (channels.md L2): process memory written to disk. The pattern pipes to
/// `/bin/false`, set-uid programs never dump, and systemd gives services a core limit of 0.
public struct CoreDumpsItem: PostureItem {
    public let id = "core-dumps"
    public let title = "core dumps"
    public let channel: String? = "P22"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] {
        [.sysctl(key: "kernel.core_pattern", value: "|/bin/false"), .sysctl(key: "fs.suid_dumpable", value: "0"),
         .ownedFile(path: "/etc/systemd/system.conf.d/guestguard-core-dumps.conf", contents: "# Written by guestguard deny (P22).\n[Manager]\nDefaultLimitCORE=0\n")]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding { evaluateRules(context) }
}
