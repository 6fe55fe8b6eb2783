import GuestGuardPlatform
import Synchronization

/// A `ChangeNotifier` whose `pendingChanges()` runs a script: poll number → the drift to cause
/// and the paths to report. Records what it was asked to watch.
public final class ScriptedChangeNotifier: ChangeNotifier {
    struct State {
        var polls = 0
        var watched: [String] = []
    }
    let state = Mutex(State())
    let script: @Sendable (Int) -> [String]

    public init(script: @escaping @Sendable (Int) -> [String]) { self.script = script }

    public var watched: [String] { state.withLock { $0.watched } }
    public var polls: Int { state.withLock { $0.polls } }

    public func watch(_ paths: [String]) -> [String] {
        state.withLock { $0.watched += paths }
        return []
    }

    public func pendingChanges() throws(PlatformError) -> [String] {
        let poll = state.withLock { state -> Int in
            state.polls += 1
            return state.polls
        }
        return script(poll)
    }
}
