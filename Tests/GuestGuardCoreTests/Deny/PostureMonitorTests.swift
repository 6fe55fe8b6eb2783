import GuestGuardCore
import GuestGuardPosture
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import Testing

/// The watcher: re-enforcement after drift, state-change events, the run loop reacting to the
/// notifier, and real inotify under a temporary tree.
@Suite struct PostureMonitorTests {
    static let policy = DenyPolicy(modes: Dictionary(uniqueKeysWithValues: PostureCatalog.all.map {
        ($0.id, ["sysrq", "qemu-guest-agent"].contains($0.id) ? DenyMode.enforce : .off)
    }))

    struct Fixture {
        let tree = TemporaryFileTree()
        let services = InMemoryServiceManager()
        let files: RecordingFileSystem
        init() {
            tree.write("/proc/sys/kernel/sysrq", "438\n")
            services.install("qemu-guest-agent.service", .static, running: true)
            files = RecordingFileSystem(tree.fileSystem)
        }

        func monitor(enforce: Bool = true, notifier: (any ChangeNotifier)? = nil, clock: any WallClock = RecordingClock(), maximumEvents: Int = 256) -> PostureMonitor {
            PostureMonitor(configuration: .init(policy: PostureMonitorTests.policy, enforce: enforce, journalPath: "/var/lib/guestguard/deny-journal.json",
                                                maximumEvents: maximumEvents),
                           files: files, services: services, notifier: notifier, clock: clock,
                           detection: DenyEnforcementTests.context(files, services).detection)
        }
    }

    @Test func reenforcesDriftAndRecordsIt() async throws {
        let fixture = Fixture()
        let monitor = fixture.monitor()
        let start = await monitor.recheck(trigger: "start")
        #expect(start.findings.map(\.id) == ["sysrq", "qemu-guest-agent"])
        #expect(start.overall == .ok, "\(start.text)")
        var events = await monitor.snapshot().events
        #expect(events.contains { $0.itemID == "sysrq" && $0.action == .reenforced && $0.change.contains("enforced at start: sysctl kernel.sysrq: 438 → 0") })

        // An admin (or a package) reverts both.
        try fixture.services.unmask(["qemu-guest-agent.service"])
        try fixture.services.start(["qemu-guest-agent.service"])
        fixture.tree.write("/proc/sys/kernel/sysrq", "1\n")
        let after = await monitor.recheck(trigger: "test")
        #expect(after.overall == .ok)
        events = await monitor.snapshot().events
        #expect(events.contains { $0.itemID == "qemu-guest-agent" && $0.channel == "P01" && $0.action == .reenforced
            && $0.change == "drifted, put back: unit qemu-guest-agent.service: static, running → mask and stop" })
        #expect(events.contains { $0.itemID == "sysrq" && $0.change == "drifted, put back: sysctl kernel.sysrq: 1 → 0" })
        #expect(try fixture.files.readText("/proc/sys/kernel/sysrq") == "0\n")
        // One journal entry per subject, holding the state before guestguard first touched it.
        let journal = try DenyJournal.load("/var/lib/guestguard/deny-journal.json", files: fixture.files)
        #expect(journal.entries.map(\.step.change.subject) == [DenyRule.sysctlDropIn, "/etc/qemu/qemu-ga.conf", "kernel.sysrq", "qemu-guest-agent.service"])
        #expect(journal.entries.contains { $0.step.change == .sysctl(key: "kernel.sysrq", before: "438", after: "0") })
        // The watcher's changes are in the deny journal: one undo restores the original state.
        _ = try DenyExecutor(files: fixture.files, services: fixture.services, journalPath: "/var/lib/guestguard/deny-journal.json").undo()
        #expect(try fixture.files.readText("/proc/sys/kernel/sysrq") == "438\n")
        #expect(try fixture.services.unitFileState("qemu-guest-agent.service") == .static)
    }

    @Test func withoutEnforcingDriftIsOnlyReported() async throws {
        let fixture = Fixture()
        fixture.tree.write("/proc/sys/kernel/sysrq", "0\n")
        let monitor = fixture.monitor(enforce: false)
        #expect(await monitor.recheck().findings.first { $0.id == "sysrq" }?.state == .ok)
        fixture.tree.write("/proc/sys/kernel/sysrq", "1\n")
        let report = await monitor.recheck(trigger: "test")
        #expect(report.findings.first { $0.id == "sysrq" }?.state == .fail)
        let events = await monitor.snapshot().events
        #expect(events.count == 1)
        #expect(events.first?.action == .reported)
        #expect(events.first?.change.hasPrefix("state ok → fail: kernel.sysrq=1") == true)
        #expect(fixture.files.mutations.isEmpty)
    }

    @Test func eventsAreBounded() async throws {
        let fixture = Fixture()
        let monitor = fixture.monitor(maximumEvents: 2)
        await monitor.recheck()
        for value in ["1", "2", "3"] {
            fixture.tree.write("/proc/sys/kernel/sysrq", value + "\n")
            await monitor.recheck()
        }
        // Start: the sysctl.d file, the runtime value, qemu-ga.conf and the mask; then three drifts.
        #expect(await monitor.eventCount == 7)
        #expect(await monitor.snapshot().events.map(\.change) == ["drifted, put back: sysctl kernel.sysrq: 2 → 0", "drifted, put back: sysctl kernel.sysrq: 3 → 0"])
    }

    @Test func runReactsToNotifiedChanges() async throws {
        let fixture = Fixture()
        let tree = fixture.tree
        // Poll 3: the sysrq value is reverted and a sysctl.d change is reported.
        let notifier = ScriptedChangeNotifier { poll in
            guard poll == 3 else { return [] }
            tree.write("/proc/sys/kernel/sysrq", "1\n")
            return ["/etc/sysctl.d/99-admin.conf"]
        }
        let monitor = fixture.monitor(notifier: notifier)
        let task = Task { try await monitor.run() }
        var putBack = false
        for _ in 0..<500 where !putBack {
            putBack = await monitor.snapshot().events.contains { $0.change == "drifted, put back: sysctl kernel.sysrq: 1 → 0" }
            if !putBack { try await Task.sleep(nanoseconds: 10_000_000) }
        }
        task.cancel()
        #expect(putBack)
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(notifier.watched.contains("/etc/modprobe.d"))
        #expect(notifier.watched.contains("/etc/qemu"))
    }

    /// Drains the notifier until something arrives (some kernels, and gVisor, queue inotify
    /// events a little after the syscall returns), then once more after a pause.
    static func changes(_ notifier: InotifyChangeNotifier) async throws -> [String] {
        var seen: [String] = []
        for _ in 0..<200 where seen.isEmpty {
            seen += try notifier.pendingChanges()
            if seen.isEmpty { try await Task.sleep(nanoseconds: 10_000_000) }
        }
        try await Task.sleep(nanoseconds: 50_000_000)
        return seen + (try notifier.pendingChanges())
    }

    @Test func inotifyReportsWritesUnderWatchedDirectories() async throws {
        let tree = TemporaryFileTree()
        tree.makeDirectory("/etc/modprobe.d")
        let notifier = try InotifyChangeNotifier(root: tree.root)
        #expect(notifier.watch(["/etc/modprobe.d", "/etc/absent.d"]) == ["/etc/absent.d"])
        #expect(try notifier.pendingChanges().isEmpty)
        try tree.fileSystem.writeFile("/etc/modprobe.d/evil.conf", bytes: Array("install hv_sock /sbin/modprobe --ignore-install hv_sock\n".utf8), mode: 0o644)
        let written = try await Self.changes(notifier)
        #expect(written.contains("/etc/modprobe.d/evil.conf"), "\(written)")
        tree.makeDirectory("/etc/absent.d")
        #expect(notifier.watch(["/etc/absent.d"]).isEmpty)
        tree.write("/etc/absent.d/late.conf", "x\n")
        tree.remove("/etc/modprobe.d/evil.conf")
        let later = try await Self.changes(notifier)
        #expect(later.contains("/etc/modprobe.d/evil.conf"), "\(later)")
        #expect(later.contains("/etc/absent.d/late.conf"), "\(later)")
    }
}
