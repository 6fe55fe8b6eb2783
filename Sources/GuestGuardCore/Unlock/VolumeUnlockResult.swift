/// What happened to one device in an `UnlockPlan` run.
public struct VolumeUnlockResult: Sendable {
    public enum Status: Sendable {
        /// Unlocked (or, without a name, verified).
        case unlocked(VolumeUnlock.Outcome)
        /// The mapping already exists (an earlier attempt, or another unlocker): left alone.
        case alreadyActive
        /// Not unlocked; fail closed. Worth retrying only when the cause was the key (broker unreachable).
        case failed(UnlockError)
    }

    public let device: String
    /// Nil for a device discovery refused before its header could be identified.
    public let uuid: String?
    /// The device-mapper name used (nil when only verifying).
    public let name: String?
    public let status: Status

    public init(device: String, uuid: String?, name: String?, status: Status) {
        self.device = device
        self.uuid = uuid
        self.name = name
        self.status = status
    }

    /// True for `.unlocked` and `.alreadyActive`.
    public var succeeded: Bool {
        if case .failed = status { return false }
        return true
    }
}
