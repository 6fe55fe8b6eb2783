import CanonicalJSON
import GuestGuardCore
import GuestGuardPosture

/// What the service publishes at one moment: the evaluated posture and the drift seen so far.
public struct PostureSnapshot: Sendable, Hashable {
    /// JSON schema of `document` (docs/serve.md): `guestguard.status/v1` plus the `drift` member.
    public static let schema = StatusReport.schema

    public let report: StatusReport
    /// The most recent drift events, oldest first (a source keeps a bounded number).
    public let driftEvents: [PostureDriftEvent]
    /// Every drift event since start, including those no longer in `driftEvents`.
    public let driftEventCount: Int

    public init(report: StatusReport, driftEvents: [PostureDriftEvent] = [], driftEventCount: Int? = nil) {
        self.report = report
        self.driftEvents = driftEvents
        self.driftEventCount = max(driftEventCount ?? driftEvents.count, driftEvents.count)
    }

    /// True when every item is ok: `/healthz` answers 200.
    public var isHealthy: Bool { report.overall == .ok }

    /// The posture document: the `guestguard status --json` document with a `drift` member
    /// `{ "count": N, "events": [{time, item, channel, change, action}, …] }`. Serve it with `canonicalBytes()`.
    public var document: JSONValue {
        var members = report.json.objectValue ?? [:]
        members["drift"] = ["count": .integer(Int64(driftEventCount)), "events": .array(driftEvents.map(\.json))]
        return .object(members)
    }
}
