import GuestGuardCore
import CanonicalJSON

/// `kernel.sysrq` (`/proc/sys/kernel/sysrq`): the host reaches SysRq through the emulated
/// keyboard, a serial BREAK and ^O on hvc (channels.md §3.2). 0 is ok; masks that allow debug
/// dumps or crash (1, 8) fail; other non-zero masks warn.
public struct SysRqItem: PostureItem {
    public let id = "sysrq"
    public let title = "magic SysRq"
    public let channel: String? = "P14"
    public let defaultMode = DenyMode.enforce
    public var rules: [DenyRule] { [.sysctl(key: "kernel.sysrq", value: "0")] }
    static let path = "/proc/sys/kernel/sysrq"
    public init() {}

    static let functions: [(Int, String)] = [
        (2, "loglevel"), (4, "keyboard"), (8, "debug dumps and crash"), (16, "sync"), (32, "remount read-only"),
        (64, "signal processes"), (128, "reboot/poweroff"), (256, "nice real-time tasks"),
    ]

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        let text: String
        do { text = try context.files.readText(Self.path, limit: 64) } catch {
            return finding(.unknown, "cannot read \(Self.path): \(error)")
        }
        guard let value = Int(text.trimmingWhitespace()), value >= 0 else {
            return finding(.unknown, "\(Self.path) holds \(String(reflecting: String(text.prefix(32)))), not a number")
        }
        let enabled = value == 1 ? ["all functions"] : Self.functions.filter { value & $0.0 != 0 }.map(\.1)
        let details: [String: JSONValue] = ["value": .integer(Int64(value)), "enabled": .array(enabled.map { .string($0) })]
        if value == 0 { return finding(.ok, "kernel.sysrq=0", details) }
        if value == 1 || value & 8 != 0 {
            return finding(.fail, "kernel.sysrq=\(value) lets the host trigger \(enabled.joined(separator: ", "))", details)
        }
        return finding(.warn, "kernel.sysrq=\(value) lets the host trigger \(enabled.joined(separator: ", "))", details)
    }
}
