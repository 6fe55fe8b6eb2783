/// File-change notification for the posture watcher: inotify on Linux
/// (`InotifyChangeNotifier`), a scripted fake in tests.
///
/// The watcher polls it without blocking: `pendingChanges()` drains what happened since the last
/// call. Watching a directory reports changes to the names in it (create, delete, rename, write,
/// attribute change); watching a file reports writes to it and its replacement.
public protocol ChangeNotifier: Sendable {
    /// Adds a watch on each path that exists; returns the paths that could not be watched
    /// (absent or unreadable), which the caller re-tries later. Paths already watched are skipped.
    func watch(_ paths: [String]) -> [String]
    /// The watched paths (with the changed name appended for directory events) that changed since
    /// the previous call, in order, without duplicates; empty when nothing happened. Never blocks.
    func pendingChanges() throws(PlatformError) -> [String]
}
