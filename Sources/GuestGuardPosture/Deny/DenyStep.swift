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
