import GuestGuardCore
import GuestGuardPlatform
import ServiceLifecycle

/// A `PostureSource` that evaluates the posture every `interval` (as a `Service`) and records a
/// drift event whenever an item's state changes between two evaluations.
public actor PeriodicPostureSource: PostureSource, Service {
    public typealias Evaluation = @Sendable () async -> StatusReport

    private let evaluate: Evaluation
    private let interval: Duration
    private let maximumEvents: Int
    private var current: PostureSnapshot
    private var events: [DriftEvent] = []
    private var eventCount = 0

    /// Evaluates once now, so `snapshot()` has an answer before `run()` starts.
    /// - Parameters:
    ///   - interval: time between evaluations.
    ///   - maximumEvents: drift events kept in the document (older ones are only counted).
    public init(interval: Duration, maximumEvents: Int = 64, evaluate: @escaping Evaluation) async {
        self.evaluate = evaluate
        self.interval = interval
        self.maximumEvents = max(1, maximumEvents)
        current = PostureSnapshot(report: await evaluate())
    }

    public func snapshot() -> PostureSnapshot { current }

    /// Evaluates now and records what changed since the previous evaluation.
    public func refresh() async {
        let report = await evaluate()
        let previous = Dictionary(current.report.findings.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Dictionary(report.findings.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for finding in report.findings {
            guard let before = previous[finding.id] else {
                record(DriftEvent(time: report.generatedAt, itemID: finding.id, change: "appeared as \(finding.state.rawValue): \(finding.reason)"))
                continue
            }
            if before.state != finding.state {
                record(DriftEvent(time: report.generatedAt, itemID: finding.id,
                                  change: "\(before.state.rawValue) → \(finding.state.rawValue): \(finding.reason)"))
            }
        }
        for finding in current.report.findings where now[finding.id] == nil {
            record(DriftEvent(time: report.generatedAt, itemID: finding.id, change: "no longer evaluated (was \(finding.state.rawValue))"))
        }
        current = PostureSnapshot(report: report, driftEvents: events, driftEventCount: eventCount)
    }

    private func record(_ event: DriftEvent) {
        events.append(event)
        if events.count > maximumEvents { events.removeFirst(events.count - maximumEvents) }
        eventCount += 1
    }

    /// Re-evaluates every `interval` until graceful shutdown or cancellation.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { [interval] in
                while true {
                    try await Task.sleep(for: interval)
                    await self.refresh()
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
