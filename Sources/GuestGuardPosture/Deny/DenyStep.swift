/// A change and the posture items that asked for it (several items share the sysctl and
/// modprobe files).
public struct DenyStep: Sendable, Hashable {
    public let itemIDs: [String]
    public let change: DenyChange

    public init(itemIDs: [String], change: DenyChange) {
        self.itemIDs = itemIDs
        self.change = change
    }
}

extension DenyStep {
    /// One line for a drift event or a log: `unit X: enabled, running → mask and stop`,
    /// `sysctl kernel.sysrq: 1 → 0`, `file /etc/… rewritten`.
    public var summary: String {
        switch change {
        case .file(let path, let before, _, let after, _, _):
            if after == nil { return "file \(path) removed" }
            return before == nil ? "file \(path) created" : "file \(path) rewritten"
        case .unit(let name, let before, let wasActive):
            return "unit \(name): \(before.rawValue)\(wasActive ? ", running" : "") → mask\(wasActive ? " and stop" : "")"
        case .sysctl(let key, let before, let after):
            return "sysctl \(key): \(before) → \(after)"
        case .attribute(let path, let before, let after):
            return "\(path): \(before) → \(after)"
        }
    }
}
