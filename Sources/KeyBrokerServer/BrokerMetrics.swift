import Synchronization

/// Counters for `/metrics` (Prometheus text exposition format 0.0.4).
public final class BrokerMetrics: Sendable {
    private let counters = Mutex<[String: Int]>([:])

    public init() {}

    public func increment(_ name: String) { counters.withLock { $0[name, default: 0] += 1 } }

    public func value(_ name: String) -> Int { counters.withLock { $0[name] ?? 0 } }

    public func prometheusText(sessions: Int) -> String {
        let snapshot = counters.withLock { $0 }
        var lines = [
            "# HELP guestguard_broker_requests_total Requests by endpoint and outcome.",
            "# TYPE guestguard_broker_requests_total counter",
        ]
        for (name, value) in snapshot.sorted(by: { $0.key < $1.key }) {
            let parts = name.split(separator: ":", maxSplits: 1)
            lines.append("guestguard_broker_requests_total{endpoint=\"\(parts[0])\",outcome=\"\(parts.count > 1 ? parts[1] : "")\"} \(value)")
        }
        lines += [
            "# HELP guestguard_broker_sessions Live RCAR sessions.",
            "# TYPE guestguard_broker_sessions gauge",
            "guestguard_broker_sessions \(sessions)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
