#if canImport(Glibc)
import Glibc
#endif
import GuestGuardTestSupport
import PostureService
import Testing

@Suite struct SystemdNotifierTests {
    @Test func sendsDatagramsToAPathSocket() throws {
        let tree = TemporaryFileTree(prefix: "gg-notify")
        let listener = NotifySocket(name: tree.root + "/notify")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.name])
        #expect(notifier.isEnabled)
        try notifier.notify("READY=1\nSTATUS=serving")
        #expect(listener.receive() == "READY=1\nSTATUS=serving")
        try notifier.notify("WATCHDOG=1")
        #expect(listener.receive() == "WATCHDOG=1")
    }

    @Test func sendsToTheAbstractNamespace() throws {
        let listener = NotifySocket(name: "@guestguard-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.name]).notify("STOPPING=1")
        #expect(listener.receive() == "STOPPING=1")
    }

    @Test func withoutNotifySocketNothingIsSent() throws {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "1000000"])
        #expect(!notifier.isEnabled)
        try notifier.notify("READY=1")
    }

    @Test(arguments: ["relative/path", "vsock:2:1234", "", "/" + String(repeating: "x", count: 120)])
    func unusableSocketValuesAreIgnored(value: String) {
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": value]).socketPath == nil)
    }

    @Test func aMissingSocketIsAnError() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/guestguard-notify"])
        #expect(throws: (any Error).self) { try notifier.notify("READY=1") }
    }

    @Test func watchdogIntervalHonoursWatchdogPID() {
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "2000000"]).watchdogInterval == .seconds(2))
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "500000", "WATCHDOG_PID": "42"], pid: 42).watchdogInterval == .milliseconds(500))
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "500000", "WATCHDOG_PID": "43"], pid: 42).watchdogInterval == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "0"]).watchdogInterval == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "soon"]).watchdogInterval == nil)
    }
}
