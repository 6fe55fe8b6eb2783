import GuestGuardCore
import GuestGuardDetection
import GuestGuardPlatform

/// The posture watcher the daemon hosts (channels.md §11): keeps the posture current, puts
/// enforced settings back when they drift, and records what changed.
///
/// Usage from `guestguard serve`:
/// ```swift
/// let monitor = PostureMonitor(configuration: .init(policy: policy, enforce: !noEnforce),
///                              files: HostFileSystem(), services: SystemctlServiceManager(),
///                              notifier: try InotifyChangeNotifier(), clock: SystemClock(), detection: detection)
/// let task = Task { try await monitor.run() }          // until cancelled
/// let (report, events, count) = await monitor.snapshot()  // cached; cheap; call as often as needed
/// ```
///
/// `run()` re-checks at once, then whenever the notifier reports a change under the watched
/// directories (unit directories, `modprobe.d`, `sysctl.d`, the directories of every file an
/// enforced item owns), and every `policy.intervalSeconds` regardless (kernel values under
/// `/proc/sys` send no inotify events). A re-check evaluates every item under the policy and, when
/// enforcing, computes a deny plan and applies it through the journal, exactly as
/// `guestguard deny` does, so `guestguard deny --undo` also undoes the watcher's work.
/// It returns when its task is cancelled (the clock's `sleep` throws `CancellationError`).
public actor PostureMonitor {
    public struct Configuration: Sendable {
        public var items: [any PostureItem]
        public var policy: DenyPolicy
        /// False for `serve --no-enforce`: drift is only recorded.
        public var enforce: Bool
        public var journalPath: String
        /// How many events `snapshot()` keeps (oldest dropped first); `eventCount` counts all.
        public var maximumEvents: Int
        /// How often the notifier is polled between full re-checks.
        public var pollInterval: Duration

        public init(items: [any PostureItem] = PostureCatalog.all, policy: DenyPolicy = .standard, enforce: Bool = true,
                    journalPath: String = DenyJournal.defaultPath, maximumEvents: Int = 256, pollInterval: Duration = .milliseconds(250))
        {
            self.items = items
            self.policy = policy
            self.enforce = enforce
            self.journalPath = journalPath
            self.maximumEvents = maximumEvents
            self.pollInterval = pollInterval
        }
    }

    public let configuration: Configuration
    let files: any FileSystem
    let services: any ServiceManager
    let notifier: (any ChangeNotifier)?
    let clock: any WallClock
    let detection: DetectionReport

    private var report: StatusReport?
    private var events: [PostureDriftEvent] = []
    /// Every event recorded since start, including those dropped from `events`.
    public private(set) var eventCount = 0
    /// Completed re-checks since start.
    public private(set) var recheckCount = 0
    private var isRechecking = false

    public init(configuration: Configuration, files: any FileSystem, services: any ServiceManager, notifier: (any ChangeNotifier)?,
                clock: any WallClock, detection: DetectionReport)
    {
        self.configuration = configuration
        self.files = files
        self.services = services
        self.notifier = notifier
        self.clock = clock
        self.detection = detection
    }

    /// The latest posture, the retained drift events (oldest first) and the count of all events
    /// since start (for a metrics counter). Before the first re-check it evaluates once (without
    /// enforcing) so callers always get a document.
    public func snapshot() -> (report: StatusReport, events: [PostureDriftEvent], eventCount: Int) {
        if let report { return (report, events, eventCount) }
        let first = Self.evaluate(configuration: configuration, files: files, services: services, clock: clock, detection: detection)
        report = first
        return (first, events, eventCount)
    }

    /// The directories the watcher asks the notifier to watch.
    public var watchedPaths: [String] {
        // Unit directories (masks, new unit names after a package install), generator output, module
        // and sysctl drop-ins, and the conffiles of channels.md §11 item 3.
        var paths = ["/etc/systemd/system", "/run/systemd/system", "/run/systemd/generator", "/run/systemd/generator/getty.target.wants",
                     "/lib/systemd/system", "/usr/lib/systemd/system", "/etc/modprobe.d", "/etc/sysctl.d", "/etc/default", "/etc/ssh",
                     "/etc/ssh/sshd_config.d", "/etc/cloud/cloud.cfg.d", "/etc/tmpfiles.d"]
        for item in configuration.items where configuration.policy.mode(for: item) != .off {
            for rule in item.rules {
                switch rule {
                case .ownedFile(let path, _), .ensureFile(let path, _):
                    if let slash = path.lastIndex(of: "/"), slash != path.startIndex { paths.append(String(path[..<slash])) }
                default: break
                }
            }
        }
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    /// Runs until cancelled. Errors other than cancellation are recorded, not thrown, so one bad
    /// read never stops the watcher.
    public func run() async throws {
        var unwatched = notifier?.watch(watchedPaths) ?? []
        await recheck(trigger: "start")
        let interval = Duration.seconds(configuration.policy.intervalSeconds)
        var sinceRecheck = Duration.zero
        while true {
            // Task.sleep, not the (blocking) clock's: the monitor runs on Swift's cooperative pool, and cancelling it ends the wait.
            try await Task.sleep(for: configuration.pollInterval)
            sinceRecheck += configuration.pollInterval
            var changed: [String] = []
            if let notifier {
                do { changed = try notifier.pendingChanges() } catch { record("watcher", nil, "inotify read failed: \(error)", .reported) }
            }
            if !changed.isEmpty || sinceRecheck >= interval {
                if sinceRecheck >= interval, !unwatched.isEmpty { unwatched = notifier?.watch(unwatched) ?? [] }
                await recheck(trigger: changed.isEmpty ? "interval" : "changed: \(changed.prefix(3).joined(separator: ", "))")
                sinceRecheck = .zero
            }
        }
    }

    /// One re-check now: re-enforce (when configured), evaluate, record drift. Returns the new
    /// report. The work (unit queries, file reads, the apply) runs off the actor, so `snapshot()`
    /// answers from the previous report meanwhile; a re-check asked for while one runs returns that
    /// one's predecessor instead of starting a second.
    @discardableResult
    public func recheck(trigger: String = "manual") async -> StatusReport {
        if isRechecking, let report { return report }
        isRechecking = true
        defer { isRechecking = false }
        let first = recheckCount == 0
        let (configuration, files, services, clock, detection) = (configuration, files, services, clock, detection)
        let cycle = await Task.detached {
            Self.cycle(configuration: configuration, files: files, services: services, clock: clock, detection: detection)
        }.value
        if let planError = cycle.planError { record("watcher", nil, "cannot compute the deny plan: \(planError)", .reenforceFailed) }
        if let failure = cycle.applyError {
            for step in cycle.steps { recordStep(step, "drifted: ", .reenforceFailed, suffix: " (\(failure))") }
        } else {
            for step in cycle.steps { recordStep(step, first ? "enforced at start: " : "drifted, put back: ", .reenforced) }
        }
        // State changes count from the first re-check on (the start's own enforcement is recorded
        // as "enforced at start" events, not as drift).
        if !first, let previous = report {
            let before = Dictionary(previous.findings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for finding in cycle.report.findings {
                guard let old = before[finding.id], old.state != finding.state else { continue }
                record(finding.id, finding.channel, "state \(old.state.rawValue) → \(finding.state.rawValue): \(finding.reason) (\(trigger))", .reported)
            }
        }
        report = cycle.report
        recheckCount += 1
        return cycle.report
    }

    /// What one re-check did, computed off the actor.
    struct Cycle: Sendable {
        var steps: [DenyStep] = []
        var planError: String?
        var applyError: String?
        var report: StatusReport
    }

    static func cycle(configuration: Configuration, files: any FileSystem, services: any ServiceManager, clock: any WallClock,
                      detection: DetectionReport) -> Cycle
    {
        // Planning and evaluating ask about the same units: once each per re-check is enough.
        let services = CachingServiceManager(services)
        var steps: [DenyStep] = []
        var planError: String?
        var applyError: String?
        if configuration.enforce {
            do {
                let plan = try DenyPlanner(files: files, services: services).plan(configuration.items, policy: configuration.policy)
                steps = plan.steps
                if !plan.isEmpty {
                    do {
                        try DenyExecutor(files: files, services: services, journalPath: configuration.journalPath).apply(plan, at: clock.now())
                    } catch { applyError = "\(error)" }
                }
            } catch { planError = "\(error)" }
        }
        return Cycle(steps: steps, planError: planError, applyError: applyError,
                     report: evaluate(configuration: configuration, files: files, services: services, clock: clock, detection: detection))
    }

    static func evaluate(configuration: Configuration, files: any FileSystem, services: any ServiceManager, clock: any WallClock,
                         detection: DetectionReport) -> StatusReport
    {
        let context = PostureContext(files: files, detection: detection, services: services)
        return StatusReport.evaluate(configuration.items, policy: configuration.policy, context: context, at: clock.now())
    }

    private func recordStep(_ step: DenyStep, _ prefix: String, _ action: PostureDriftEvent.Action, suffix: String = "") {
        for id in step.itemIDs {
            let channel = configuration.items.first { $0.id == id }?.channel
            record(id, channel, prefix + step.summary + suffix, action)
        }
    }

    private func record(_ itemID: String, _ channel: String?, _ change: String, _ action: PostureDriftEvent.Action) {
        events.append(PostureDriftEvent(time: clock.now(), itemID: itemID, channel: channel, change: change, action: action))
        eventCount += 1
        if events.count > configuration.maximumEvents { events.removeFirst(events.count - configuration.maximumEvents) }
    }
}
