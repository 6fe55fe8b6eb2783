import GuestGuardCore
import GuestGuardPosture

/// `/metrics` in the Prometheus text exposition format 0.0.4, written by hand (docs/serve.md
/// lists every metric).
enum PostureMetrics {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// 0 ok, 1 unknown, 2 warn, 3 fail: larger is worse, as `PostureState` orders them.
    static func value(_ state: PostureState) -> Int {
        switch state {
        case .ok: return 0
        case .unknown: return 1
        case .warn: return 2
        case .fail: return 3
        }
    }

    static func render(snapshot: PostureSnapshot, attestations: AttestationCounters.Values, version: String) -> String {
        var out = ""
        out.reserveCapacity(2048 + 96 * snapshot.report.findings.count)
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        family("guestguard_build_info", "gauge", "Build of the running daemon (always 1).")
        out += "guestguard_build_info{version=\"\(escape(version))\"} 1\n"
        family("guestguard_posture_ok", "gauge", "1 when every posture item is ok (/healthz answers 200), else 0.")
        out += "guestguard_posture_ok \(snapshot.isHealthy ? 1 : 0)\n"
        family("guestguard_posture_item_state", "gauge", "State of one posture item: 0 ok, 1 unknown, 2 warn, 3 fail.")
        for finding in snapshot.report.findings {
            out += "guestguard_posture_item_state{item=\"\(escape(finding.id))\"} \(value(finding.state))\n"
        }
        family("guestguard_posture_evaluated_timestamp_seconds", "gauge", "Unix time of the posture evaluation being served.")
        out += "guestguard_posture_evaluated_timestamp_seconds \(snapshot.report.generatedAt.seconds)\n"
        family("guestguard_drift_events_total", "counter", "Drift events recorded since the daemon started.")
        out += "guestguard_drift_events_total \(snapshot.driftEventCount)\n"
        family("guestguard_attestations_total", "counter", "Requests to /v1/attestation by outcome.")
        out += "guestguard_attestations_total{outcome=\"issued\"} \(attestations.issued)\n"
        out += "guestguard_attestations_total{outcome=\"rate_limited\"} \(attestations.rateLimited)\n"
        out += "guestguard_attestations_total{outcome=\"rejected\"} \(attestations.rejected)\n"
        out += "guestguard_attestations_total{outcome=\"failed\"} \(attestations.failed)\n"
        family("guestguard_attestation_last_timestamp_seconds", "gauge", "Unix time of the last attestation report issued (0: none yet).")
        out += "guestguard_attestation_last_timestamp_seconds \(attestations.lastIssuedSeconds)\n"
        return out
    }

    /// Label values escape backslash, double quote and line feed.
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
