import Synchronization

/// Counters for `/metrics` (Prometheus text exposition format 0.0.4).
public final class BrokerMetrics: Sendable {
    /// `endpoint:outcome` → count.
    private let counters = Mutex<[String: Int]>([:])
    /// Endpoint → requests refused by the per-client rate limit.
    private let rateLimited = Mutex<[String: Int]>([:])
    /// New sessions refused because the table was full.
    private let capRefusals = Mutex(0)

    /// Upper bounds (seconds) of the latency histogram buckets.
    static let latencyBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
    /// Endpoint → (count per bucket, +Inf count, sum of seconds).
    private let latencies = Mutex<[String: (buckets: [Int], count: Int, sum: Double)]>([:])

    public init() {}

    /// Records how long one request to `endpoint` (`auth`, `attest`, `resource`) took.
    public func observe(_ endpoint: String, seconds: Double) {
        latencies.withLock { table in
            var entry = table[endpoint] ?? (buckets: [Int](repeating: 0, count: Self.latencyBuckets.count), count: 0, sum: 0)
            for (index, bound) in Self.latencyBuckets.enumerated() where seconds <= bound { entry.buckets[index] += 1 }
            entry.count += 1
            entry.sum += seconds
            table[endpoint] = entry
        }
    }

    public func increment(_ name: String) { counters.withLock { $0[name, default: 0] += 1 } }

    public func value(_ name: String) -> Int { counters.withLock { $0[name] ?? 0 } }

    /// Counts a request to `endpoint` refused by the client's token bucket.
    public func rateLimited(_ endpoint: String) { rateLimited.withLock { $0[endpoint, default: 0] += 1 } }

    public func rateLimitedCount(_ endpoint: String) -> Int { rateLimited.withLock { $0[endpoint] ?? 0 } }

    /// Counts a new session refused by the session cap.
    public func sessionCapRefused() { capRefusals.withLock { $0 += 1 } }

    public var sessionCapRefusals: Int { capRefusals.withLock { $0 } }

    /// - Parameters:
    ///   - sessions: live sessions.
    ///   - expired: sessions dropped on expiry since start.
    public func prometheusText(sessions: Int, expired: Int) -> String {
        let snapshot = counters.withLock { $0 }
        let limited = rateLimited.withLock { $0 }
        var lines = [
            "# HELP guestguard_broker_requests_total Requests by endpoint and outcome.",
            "# TYPE guestguard_broker_requests_total counter",
        ]
        for (name, value) in snapshot.sorted(by: { $0.key < $1.key }) {
            let parts = name.split(separator: ":", maxSplits: 1)
            lines.append("guestguard_broker_requests_total{endpoint=\"\(parts[0])\",outcome=\"\(parts.count > 1 ? parts[1] : "")\"} \(value)")
        }
        lines += [
            "# HELP guestguard_broker_rate_limited_total Requests refused (429) by the per-client rate limit, by endpoint.",
            "# TYPE guestguard_broker_rate_limited_total counter",
        ]
        for endpoint in ["auth", "attest"] {
            lines.append("guestguard_broker_rate_limited_total{endpoint=\"\(endpoint)\"} \(limited[endpoint] ?? 0)")
        }
        lines += [
            "# HELP guestguard_broker_request_duration_seconds Time to answer /auth, /attest and /resource (store included).",
            "# TYPE guestguard_broker_request_duration_seconds histogram",
        ]
        for (endpoint, entry) in latencies.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            for (index, bound) in Self.latencyBuckets.enumerated() {
                lines.append("guestguard_broker_request_duration_seconds_bucket{endpoint=\"\(endpoint)\",le=\"\(bound)\"} \(entry.buckets[index])")
            }
            lines.append("guestguard_broker_request_duration_seconds_bucket{endpoint=\"\(endpoint)\",le=\"+Inf\"} \(entry.count)")
            lines.append("guestguard_broker_request_duration_seconds_sum{endpoint=\"\(endpoint)\"} \(entry.sum)")
            lines.append("guestguard_broker_request_duration_seconds_count{endpoint=\"\(endpoint)\"} \(entry.count)")
        }
        lines += [
            "# HELP guestguard_broker_session_cap_refusals_total New sessions refused (429) because the session table was full.",
            "# TYPE guestguard_broker_session_cap_refusals_total counter",
            "guestguard_broker_session_cap_refusals_total \(sessionCapRefusals)",
            "# HELP guestguard_broker_sessions_expired_total Sessions dropped on expiry.",
            "# TYPE guestguard_broker_sessions_expired_total counter",
            "guestguard_broker_sessions_expired_total \(expired)",
            "# HELP guestguard_broker_sessions Live RCAR sessions.",
            "# TYPE guestguard_broker_sessions gauge",
            "guestguard_broker_sessions \(sessions)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
