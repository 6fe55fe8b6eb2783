import GuestGuardCore
import CanonicalJSON
import GuestGuardPlatform

/// One change the posture watcher saw: a setting found reverted (and what guestguard did about
/// it), or an item whose state moved.
public struct PostureDriftEvent: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        /// The policy enforces the item and guestguard put the setting back.
        case reenforced
        /// Only recorded (the item is not enforced, `--no-enforce`, or a state change).
        case reported
        /// Putting it back failed; `change` ends with the error.
        case reenforceFailed = "reenforce-failed"
    }

    /// When the watcher noticed.
    public let time: Timestamp
    /// The posture item's id (`PostureFinding.id`).
    public let itemID: String
    /// Its channels.md §10 row, if any.
    public let channel: String?
    /// What changed, one line: `unit qemu-guest-agent.service: enabled → mask` or
    /// `state ok → fail: kernel.sysrq=1, want 0`.
    public let change: String
    public let action: Action

    public init(time: Timestamp, itemID: String, channel: String?, change: String, action: Action) {
        self.time = time
        self.itemID = itemID
        self.channel = channel
        self.change = change
        self.action = action
    }

    /// `{"time", "item", "channel", "change", "action"}` (docs/schemas.md, posture drift events).
    public var json: JSONValue {
        ["time": .string(RFC3339.format(time)), "item": .string(itemID), "channel": .optional(channel),
         "change": .string(change), "action": .string(action.rawValue)]
    }
}
