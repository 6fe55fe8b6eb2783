/// Host-shared filesystems (channels.md T3, T4): 9p, virtiofs, VMware HGFS and vboxsf serve
/// host-controlled files. The modules are blocked; any such mount fails the item.
public struct HostSharedFilesystemsItem: PostureItem {
    public let id = "host-shared-filesystems"
    public let title = "host-shared filesystems"
    public let channel: String? = "P20"
    public let defaultMode = DenyMode.enforce
    public init() {}

    static let types: Set<String> = ["9p", "virtiofs", "fuse.vmhgfs-fuse", "vmhgfs", "vboxsf"]

    public var rules: [DenyRule] { [.blockModules(["9p", "9pnet_virtio", "virtiofs"])] }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context) { check in
            guard let text = try? context.files.readText("/proc/self/mountinfo", limit: 4 << 20), let table = try? MountTable(parsing: text) else {
                check.unknowns.append("cannot read /proc/self/mountinfo")
                return
            }
            for entry in table.entries where Self.types.contains(entry.fileSystemType) {
                check.failures.append("\(entry.fileSystemType) \(entry.source) mounted at \(entry.mountPoint)")
            }
        }
    }
}
