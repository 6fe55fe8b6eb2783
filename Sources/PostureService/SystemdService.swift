import Logging
import ServiceLifecycle

/// The systemd side of `Type=notify`: `READY=1` when the group starts (the listeners are bound
/// by then), `WATCHDOG=1` every half `WATCHDOG_USEC` while `isAlive()` answers true, and
/// `STOPPING=1` when graceful shutdown begins. Does nothing visible without `$NOTIFY_SOCKET`.
struct SystemdService: Service, CustomStringConvertible {
    let notifier: SystemdNotifier
    /// The `STATUS=` text sent with `READY=1`.
    let status: @Sendable () -> String
    /// Liveness probe run before each watchdog ping (for example an event-loop round trip); a
    /// daemon that cannot answer it stops pinging and systemd restarts it.
    let isAlive: @Sendable () async -> Bool
    let logger: Logger

    func run() async throws {
        send("READY=1\nSTATUS=\(status())")
        if let interval = notifier.watchdogInterval {
            do {
                try await cancelWhenGracefulShutdown { [notifier, isAlive, logger] in
                    while true {
                        try await Task.sleep(for: interval / 2)
                        guard await isAlive() else {
                            logger.error("liveness probe failed: withholding the watchdog ping")
                            continue
                        }
                        do { try notifier.notify("WATCHDOG=1") } catch {
                            logger.warning("watchdog ping failed", metadata: ["error": "\(error)"])
                        }
                    }
                }
            } catch is CancellationError {}
        } else {
            try? await gracefulShutdown()
        }
        send("STOPPING=1")
    }

    private func send(_ state: String) {
        do { try notifier.notify(state) } catch {
            logger.warning("sd_notify failed", metadata: ["state": "\(state)", "error": "\(error)"])
        }
    }

    var description: String { "SystemdNotify" }
}
