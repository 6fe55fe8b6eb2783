import GuestGuardCore
import GuestGuardPosture
import ServiceLifecycle

/// The posture source `guestguard serve` uses: the deny-policy watcher (`PostureMonitor`, issue 7
/// items 1–3), which re-checks on inotify events and every policy interval, re-enforces when the
/// policy says so, and records drift. As a `Service` it runs the watcher's loop until graceful
/// shutdown.
public struct MonitorPostureSource: PostureSource, Service {
    public let monitor: PostureMonitor

    public init(monitor: PostureMonitor) {
        self.monitor = monitor
    }

    /// The watcher's cached report and events (it evaluates once, without enforcing, if asked
    /// before its first re-check).
    public func snapshot() async -> PostureSnapshot {
        let (report, events, count) = await monitor.snapshot()
        return PostureSnapshot(report: report, driftEvents: events, driftEventCount: count)
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { [monitor] in try await monitor.run() }
        } catch is CancellationError {
            return
        }
    }
}
