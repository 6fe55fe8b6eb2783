/// Where the service gets the posture from. Implementations keep the posture current on their
/// own schedule (a periodic evaluation, a watcher reacting to inotify events) and answer
/// `snapshot()` from a cache: the service calls it often and never per HTTP request.
public protocol PostureSource: Sendable {
    /// The latest evaluated posture and drift events.
    func snapshot() async -> PostureSnapshot
}
