import GuestGuardCore
import CanonicalJSON

/// Kernel lockdown (`/sys/kernel/security/lockdown`, "none [integrity] confidentiality"):
/// confidentiality keeps root from reading kernel memory (kcore, kprobes, bpf); integrity at least
/// blocks /dev/mem and unsigned modules (channels.md §6).
public struct KernelLockdownItem: PostureItem {
    public let id = "kernel-lockdown"
    public let title = "kernel lockdown"
    public let channel: String? = "P27"
    public let defaultMode = DenyMode.enforce
    public var rules: [DenyRule] { [.kernelAttribute(path: Self.path, value: "confidentiality")] }
    static let path = "/sys/kernel/security/lockdown"
    public init() {}

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        guard context.files.exists(Self.path) else {
            let securityfs = context.files.exists("/sys/kernel/security")
            return finding(.unknown, securityfs ? "no lockdown LSM in this kernel" : "securityfs not mounted at /sys/kernel/security")
        }
        let text: String
        do { text = try context.files.readText(Self.path, limit: 256) } catch {
            return finding(.unknown, "cannot read \(Self.path): \(error)")
        }
        let tokens = text.trimmingWhitespace().split(separator: " ")
        let selected = tokens.filter { $0.hasPrefix("[") && $0.hasSuffix("]") }.map { String($0.dropFirst().dropLast()) }
        guard selected.count == 1, let level = selected.first, ["none", "integrity", "confidentiality"].contains(level) else {
            return finding(.unknown, "\(Self.path) holds \(String(reflecting: String(text.prefix(80)))), not a lockdown level list")
        }
        let details: [String: JSONValue] = ["level": .string(level)]
        switch level {
        case "confidentiality": return finding(.ok, "lockdown=confidentiality", details)
        case "integrity": return finding(.warn, "lockdown=integrity: root can still read kernel memory (kcore, kprobes, bpf)", details)
        default: return finding(.fail, "lockdown=none: root can read and patch kernel memory", details)
        }
    }
}
