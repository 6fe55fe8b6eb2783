#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardLinux
import GuestGuardPlatform

/// `sd_notify(3)` without libsystemd: one datagram per state change to the unix socket named by
/// `$NOTIFY_SOCKET` (a path, or `@name` for the abstract namespace), as systemd's `Type=notify`
/// expects (`READY=1`, `WATCHDOG=1`, `STOPPING=1`, `STATUS=…`). Without `$NOTIFY_SOCKET` every
/// call does nothing.
public struct SystemdNotifier: Sendable {
    /// The socket from `$NOTIFY_SOCKET`, or nil when not run by systemd (or an unusable value).
    public let socketPath: String?
    /// The `$WATCHDOG_USEC` interval, when the watchdog is meant for this process
    /// (`$WATCHDOG_PID` absent or equal to our pid). Ping at least twice per interval.
    public let watchdogInterval: Duration?

    /// Reads the settings from `environment`; `pid` is compared with `$WATCHDOG_PID`.
    public init(environment: [String: String], pid: Int32 = getpid()) {
        if let path = environment["NOTIFY_SOCKET"], path.hasPrefix("/") || path.hasPrefix("@"), path.utf8.count < 108 {
            socketPath = path
        } else {
            socketPath = nil
        }
        var interval: Duration?
        if let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 {
            if let owner = environment["WATCHDOG_PID"] {
                interval = Int32(owner) == pid ? .microseconds(microseconds) : nil
            } else {
                interval = .microseconds(microseconds)
            }
        }
        watchdogInterval = interval
    }

    /// The settings of this process. The corresponding C function is `getenv`.
    public static func fromProcessEnvironment() -> SystemdNotifier {
        var environment: [String: String] = [:]
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return SystemdNotifier(environment: environment)
    }

    public var isEnabled: Bool { socketPath != nil }

    /// Sends `state` (newline-separated `KEY=VALUE` assignments) as one datagram
    /// (GuestGuardLinux's `UnixDatagramSocket`: `socket` and `sendto`).
    public func notify(_ state: String) throws(PlatformError) {
        guard let socketPath else { return }
        try UnixDatagramSocket.send(Array(state.utf8), to: socketPath)
    }
}
