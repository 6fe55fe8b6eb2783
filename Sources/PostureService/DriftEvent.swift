import CanonicalJSON
import GuestGuardPlatform

/// One observed change of the posture after start: an item whose state moved, appeared or
/// vanished, or (from a watcher) a setting found changed and re-enforced.
///
/// Minimal on purpose: the watcher of issue 7 (items 1–3) records richer events; a `PostureSource`
/// maps them onto this shape for the service's document and metrics.
public struct DriftEvent: Sendable, Hashable {
    /// When the change was observed.
    public let time: Timestamp
    /// The posture item's stable identifier (`PostureFinding.id`).
    public let itemID: String
    /// What changed, one line (for example `ok → warn: kernel.sysrq is 1`).
    public let change: String

    public init(time: Timestamp, itemID: String, change: String) {
        self.time = time
        self.itemID = itemID
        self.change = change
    }

    public var json: JSONValue {
        ["time": .string(RFC3339.format(time)), "item": .string(itemID), "change": .string(change)]
    }
}
