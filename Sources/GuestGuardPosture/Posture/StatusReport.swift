import GuestGuardCore
import CanonicalJSON
import GuestGuardDetection
import GuestGuardPlatform

/// The posture document of `guestguard status`.
public struct StatusReport: Sendable, Hashable {
    /// JSON schema identifier (docs/schemas.md).
    public static let schema = "guestguard.status/v1"

    public let findings: [PostureFinding]
    public let detection: DetectionReport
    public let generatedAt: Timestamp

    public init(findings: [PostureFinding], detection: DetectionReport, generatedAt: Timestamp) {
        self.findings = findings
        self.detection = detection
        self.generatedAt = generatedAt
    }

    /// Evaluates every item against the context.
    public static func evaluate(_ items: [any PostureItem] = PostureCatalog.standard, context: PostureContext, at time: Timestamp) -> StatusReport {
        StatusReport(findings: items.map { $0.evaluate(context) }, detection: context.detection, generatedAt: time)
    }

    /// Evaluates the items the policy does not turn `off`, each shown under its mode
    /// (`report` caps a failure at warn). Findings then carry `channel` and `mode`.
    public static func evaluate(_ items: [any PostureItem] = PostureCatalog.all, policy: DenyPolicy, context: PostureContext, at time: Timestamp) -> StatusReport {
        let findings = items.compactMap { item -> PostureFinding? in
            let mode = policy.mode(for: item)
            return mode == .off ? nil : item.evaluate(context).under(mode)
        }
        return StatusReport(findings: findings, detection: context.detection, generatedAt: time)
    }

    /// The worst state over all items.
    public var overall: PostureState { findings.map(\.state).max() ?? .ok }

    /// The documented exit code: 0 all ok, 1 any warn or unknown, 2 any fail.
    public var exitCode: Int32 {
        switch overall {
        case .ok: return 0
        case .unknown, .warn: return 1
        case .fail: return 2
        }
    }

    public var json: JSONValue {
        .object([
            "schema": .string(Self.schema),
            "generatedAt": .string(RFC3339.format(generatedAt)),
            "overall": .string(overall.rawValue),
            "mode": .string(detection.mode.rawValue),
            "items": .array(findings.map { finding in
                var member: [String: JSONValue] = [
                    "id": .string(finding.id),
                    "title": .string(finding.title),
                    "state": .string(finding.state.rawValue),
                    "reason": .string(finding.reason),
                    "details": .object(finding.details),
                ]
                // Only policy-evaluated findings carry the policy members (docs/schemas.md).
                if let mode = finding.mode {
                    member["mode"] = .string(mode.rawValue)
                    member["channel"] = .optional(finding.channel)
                }
                return .object(member)
            }),
        ])
    }

    public var text: String {
        var lines = ["posture: \(overall.rawValue.uppercased())  (memory encryption \(detection.mode.displayName), \(RFC3339.format(generatedAt)))"]
        for finding in findings {
            lines.append("  \(pad(finding.state.rawValue.uppercased(), 8)) \(pad(finding.title, 26)) \(finding.reason)")
        }
        return lines.joined(separator: "\n")
    }
}
