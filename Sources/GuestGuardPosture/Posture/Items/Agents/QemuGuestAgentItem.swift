/// qemu-guest-agent (channels.md A1, §4): file read/write, `guest-exec`, password and SSH key
/// injection, suspend and freeze on the host's request. Masked (it has no `[Install]` section and
/// udev starts it, so `disable` does nothing); `/etc/qemu/qemu-ga.conf` also gets the §4
/// `block-rpcs` list, which QEMU 7.2 honours and 8.1+ accepts, so an unmasked agent still refuses
/// the dangerous RPCs. `allow-rpcs` is not used: 7.2 ignores it silently (fail-open).
public struct QemuGuestAgentItem: PostureItem {
    public let id = "qemu-guest-agent"
    public let title = "qemu-guest-agent"
    public let channel: String? = "P01"
    public let defaultMode = DenyMode.enforce
    public init() {}

    static let configPath = "/etc/qemu/qemu-ga.conf"
    static let blockedRPCs = [
        "guest-file-open", "guest-file-close", "guest-file-read", "guest-file-write", "guest-file-seek", "guest-file-flush",
        "guest-exec", "guest-exec-status", "guest-set-user-password", "guest-ssh-add-authorized-keys",
        "guest-ssh-remove-authorized-keys", "guest-ssh-get-authorized-keys", "guest-suspend-disk", "guest-suspend-hybrid",
        "guest-suspend-ram", "guest-set-time", "guest-set-vcpus", "guest-set-memory-blocks", "guest-fsfreeze-freeze",
        "guest-fsfreeze-freeze-list", "guest-get-users", "guest-network-get-interfaces",
    ]
    static let config = """
        # Written by guestguard deny (P01); guestguard deny --undo restores the previous file.
        [general]
        block-rpcs=\(blockedRPCs.joined(separator: ","))

        """

    public var rules: [DenyRule] {
        [.maskUnits(["qemu-guest-agent.service"]), .ownedFile(path: Self.configPath, contents: Self.config)]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context, processes: ["qemu-ga"]) { check in
            let ports = (try? context.files.listDirectory("/sys/class/virtio-ports")) ?? []
            let agentPorts = ports.filter {
                (try? context.files.readText("/sys/class/virtio-ports/\($0)/name", limit: 256))?.trimmingWhitespace() == "org.qemu.guest_agent.0"
            }
            if !agentPorts.isEmpty { check.notes.append("host offers the agent port on \(agentPorts.joined(separator: ", "))") }
        }
    }
}
