import GuestGuardCore
import GuestGuardPosture
import Prometheus

/// `/metrics` in the Prometheus text exposition format 0.0.4 (docs/serve.md lists every metric).
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

    /// A fresh registry per scrape (the set of posture items is the snapshot's), rendered by
    /// swift-prometheus like the broker's `/metrics`: one renderer, label values escaped.
    static func render(snapshot: PostureSnapshot, attestations: AttestationCounters.Values, version: String) -> String {
        let registry = PrometheusCollectorRegistry()
        func gauge(_ name: String, _ help: String, _ value: Int64, labels: [(String, String)] = []) {
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels).set(value)
        }
        func counter(_ name: String, _ help: String, _ value: Int, labels: [(String, String)] = []) {
            registry.makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "total", helpText: help), labels: labels)
                .increment(by: Int64(value))
        }
        gauge("guestguard_build_info", "Build of the running daemon (always 1).", 1, labels: [("version", version)])
        gauge("guestguard_posture_ok", "1 when every posture item is ok (/healthz answers 200), else 0.", snapshot.isHealthy ? 1 : 0)
        for finding in snapshot.report.findings {
            gauge("guestguard_posture_item_state", "State of one posture item: 0 ok, 1 unknown, 2 warn, 3 fail.", Int64(value(finding.state)),
                  labels: [("item", finding.id)])
        }
        gauge("guestguard_posture_evaluated_timestamp_seconds", "Unix time of the posture evaluation being served.", snapshot.report.generatedAt.seconds)
        counter("guestguard_drift_events", "Drift events recorded since the daemon started.", snapshot.driftEventCount)
        let help = "Requests to /v1/attestation by outcome."
        counter("guestguard_attestations", help, attestations.issued, labels: [("outcome", "issued")])
        counter("guestguard_attestations", help, attestations.rateLimited, labels: [("outcome", "rate_limited")])
        counter("guestguard_attestations", help, attestations.rejected, labels: [("outcome", "rejected")])
        counter("guestguard_attestations", help, attestations.failed, labels: [("outcome", "failed")])
        gauge("guestguard_attestation_last_timestamp_seconds", "Unix time of the last attestation report issued (0: none yet).",
              attestations.lastIssuedSeconds)
        return registry.emitToString()
    }
}
