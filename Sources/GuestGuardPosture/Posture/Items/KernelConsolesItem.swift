import GuestGuardCore
import CanonicalJSON

/// Active kernel consoles (`/sys/class/tty/console/active`). Each one is a device the hypervisor
/// emulates: kernel messages go out through it, and systemd-getty-generator puts a login prompt on
/// every non-VT console (channels.md §3.1). None is ok; any is a warning naming them.
public struct KernelConsolesItem: PostureItem {
    public let id = "kernel-consoles"
    public let title = "kernel consoles"
    static let path = "/sys/class/tty/console/active"
    public init() {}

    public func evaluate(_ context: PostureContext) -> PostureFinding {
        let text: String
        do { text = try context.files.readText(Self.path, limit: 4096) } catch {
            return finding(.unknown, "cannot read \(Self.path): \(error)")
        }
        let consoles = text.trimmingWhitespace().split(separator: " ").map(String.init)
        guard consoles.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } }) else {
            return finding(.unknown, "\(Self.path) holds \(String(reflecting: String(text.prefix(64)))), not tty names")
        }
        let details: [String: JSONValue] = ["consoles": .array(consoles.map { .string($0) })]
        if consoles.isEmpty { return finding(.ok, "no active kernel console", details) }
        let serial = consoles.filter { !$0.hasPrefix("tty") || $0.hasPrefix("ttyS") || $0.hasPrefix("ttyAMA") }
        let kind = serial.isEmpty ? "virtual terminal" : "serial/hypervisor console"
        return finding(.warn, "\(consoles.joined(separator: ", ")) active (\(kind)): kernel output and a getty reach the host", details)
    }
}
