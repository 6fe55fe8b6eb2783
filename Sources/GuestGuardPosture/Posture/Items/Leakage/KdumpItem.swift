/// kdump (channels.md L1): a crash kernel dumps guest memory, possibly to SSH or NFS targets.
/// The units are masked and `kexec_load_disabled` set (one-way until reboot: `--undo` cannot
/// lower it). A crash kernel already loaded fails the item (`kexec -p -u` unloads it).
public struct KdumpItem: PostureItem {
    public let id = "kdump"
    public let title = "kdump"
    public let channel: String? = "P21"
    public let defaultMode = DenyMode.enforce
    public init() {}

    public var rules: [DenyRule] {
        [.maskUnits(["kdump-tools.service", "kdump-tools-dump.service"]), .sysctl(key: "kernel.kexec_load_disabled", value: "1")]
    }

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        evaluateRules(context) { check in
            if (try? context.files.readText("/sys/kernel/kexec_crash_loaded", limit: 64))?.trimmingWhitespace() == "1" {
                check.failures.append("a crash kernel is loaded (kexec -p -u)")
            }
        }
    }
}
