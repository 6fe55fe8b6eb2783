import Prometheus
import Synchronization

/// Why the broker refused a request: the `reason` label of `guestguard_broker_refusals_total`.
/// A small fixed set (the audit line carries the detail), so the label's cardinality is bounded.
public enum RefusalReason: String, CaseIterable, Sendable {
    /// A body, path or cookie the protocol does not allow (`/auth` request, attestation JSON, resource path).
    case malformedRequest = "malformed_request"
    /// `/auth` when the session table is full.
    case sessionTableFull = "session_table_full"
    /// No session cookie, an unknown or expired session, or (at `/resource`) a session not attested.
    case noSession = "no_session"
    /// The session's nonce was consumed before (`/attest` replayed, on any replica).
    case replayedNonce = "replayed_nonce"
    /// The evidence answers another nonce, or does not bind the nonce and `tee-pubkey` in REPORT_DATA.
    case bindingMismatch = "binding_mismatch"
    /// The SNP evidence does not parse.
    case malformedEvidence = "malformed_evidence"
    /// The AMD chain or the report signature does not verify under a trusted root.
    case badSignature = "bad_signature"
    /// The VCEK or ASK is revoked by AMD's CRL.
    case revoked = "revoked"
    /// Revocation is required and no current AMD CRL verifies under the chain's ARK (503, retryable).
    case revocationUnavailable = "revocation_unavailable"
    /// No `cert_chain` and no usable VCEK from KDS.
    case noCollateral = "no_collateral"
    /// KDS did not answer (the guest retries: 503).
    case kdsUnavailable = "kds_unavailable"
    /// The TPM quote in the evidence does not verify.
    case tpmQuote = "tpm_quote"
    /// The resource's policy (report rules, trust anchors, TPM PCRs) refuses the evidence.
    case policyMismatch = "policy_mismatch"
    /// No such resource (no policy or no key).
    case unknownResource = "unknown_resource"
    /// The broker could not seal or fingerprint the key, or set up verification.
    case internalError = "internal_error"
    /// The audit log could not be written (503, nothing released).
    case auditUnavailable = "audit_unavailable"
    /// The store did not answer (503, nothing released).
    case storeUnavailable = "store_unavailable"
}

/// The broker's `/metrics`: counters and latency histograms in one swift-prometheus registry,
/// rendered by it (text exposition format 0.0.4, label values escaped). Every series of a fixed
/// label set exists from the start (at 0); the recording calls take no registry lock.
public final class BrokerMetrics: Sendable {
    public static let contentType = "text/plain; version=0.0.4"
    let registry: PrometheusCollectorRegistry

    /// Upper bounds of the latency histogram buckets.
    static let latencyBuckets: [Duration] = [.milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                             .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .microseconds(2_500_000)]
    static let endpoints = ["auth", "attest", "resource"]

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: metric, unitName: unit, helpText: help)
    }

    /// `guestguard_broker_requests_total` by (endpoint, outcome), made on first use.
    private let requests = Mutex<[EndpointOutcome: Counter]>([:])
    private let refusals: [EndpointOutcome: Counter]
    private let rateLimitedCounters: [String: Counter]
    private let durations: [String: DurationHistogram]
    private let capRefusals: Counter
    private let expired: Counter
    private let liveSessions: Gauge
    /// Expired sessions already added to `expired` (the store reports a running total).
    private let expiredSeen = Mutex(0)
    /// The same counts as the registry's, readable by tests and the broker's own logic.
    private let tallies = Mutex<[EndpointOutcome: Int]>([:])

    struct EndpointOutcome: Hashable {
        var endpoint: String
        var outcome: String
    }

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        var refusals: [EndpointOutcome: Counter] = [:]
        for endpoint in Self.endpoints {
            for reason in RefusalReason.allCases {
                refusals[EndpointOutcome(endpoint: endpoint, outcome: reason.rawValue)] = registry.makeCounter(
                    descriptor: Self.name("guestguard_broker_refusals", "total", "Refused requests by endpoint and reason (the audit log has each one's detail)."),
                    labels: [("endpoint", endpoint), ("reason", reason.rawValue)])
            }
        }
        self.refusals = refusals
        var limited: [String: Counter] = [:]
        for endpoint in ["auth", "attest"] {
            limited[endpoint] = registry.makeCounter(
                descriptor: Self.name("guestguard_broker_rate_limited", "total", "Requests refused (429) by the per-client rate limit, by endpoint."),
                labels: [("endpoint", endpoint)])
        }
        rateLimitedCounters = limited
        var durations: [String: DurationHistogram] = [:]
        for endpoint in Self.endpoints {
            durations[endpoint] = registry.makeDurationHistogram(
                descriptor: Self.name("guestguard_broker_request_duration", "seconds", "Time to answer each handshake step (/auth, /attest, /resource), store included."),
                labels: [("endpoint", endpoint)], buckets: Self.latencyBuckets)
        }
        self.durations = durations
        capRefusals = registry.makeCounter(descriptor: Self.name(
            "guestguard_broker_session_cap_refusals", "total", "New sessions refused (429) because the session table was full."))
        expired = registry.makeCounter(descriptor: Self.name("guestguard_broker_sessions_expired", "total", "Sessions dropped on expiry."))
        liveSessions = registry.makeGauge(descriptor: Self.name("guestguard_broker_sessions", "", "Live RCAR sessions."))
    }

    /// Records how long one request to `endpoint` (`auth`, `attest`, `resource`) took.
    public func observe(_ endpoint: String, _ elapsed: Duration) {
        durations[endpoint]?.record(elapsed)
    }

    /// Counts one request to `endpoint` that ended in `outcome` (`ok`, `released`, `refused`, `unavailable`).
    public func count(_ endpoint: String, _ outcome: String) {
        let key = EndpointOutcome(endpoint: endpoint, outcome: outcome)
        let counter = requests.withLock { table in
            if let existing = table[key] { return existing }
            let made = registry.makeCounter(descriptor: Self.name("guestguard_broker_requests", "total", "Requests by endpoint and outcome."),
                                            labels: [("endpoint", endpoint), ("outcome", outcome)])
            table[key] = made
            return made
        }
        counter.increment()
        tallies.withLock { $0[key, default: 0] += 1 }
    }

    /// Counts a refusal: the request (outcome `refused`) and its reason.
    public func refused(_ endpoint: String, _ reason: RefusalReason) {
        count(endpoint, "refused")
        let key = EndpointOutcome(endpoint: endpoint, outcome: reason.rawValue)
        refusals[key]?.increment()
        tallies.withLock { $0[EndpointOutcome(endpoint: endpoint, outcome: "reason:" + reason.rawValue), default: 0] += 1 }
    }

    /// Requests to `endpoint` that ended in `outcome`.
    public func value(_ endpoint: String, _ outcome: String) -> Int {
        tallies.withLock { $0[EndpointOutcome(endpoint: endpoint, outcome: outcome)] ?? 0 }
    }

    /// Refusals at `endpoint` for `reason`.
    public func refusals(_ endpoint: String, _ reason: RefusalReason) -> Int { value(endpoint, "reason:" + reason.rawValue) }

    /// Counts a request to `endpoint` refused by the client's token bucket.
    public func rateLimited(_ endpoint: String) {
        rateLimitedCounters[endpoint]?.increment()
        tallies.withLock { $0[EndpointOutcome(endpoint: endpoint, outcome: "rate_limited"), default: 0] += 1 }
    }

    public func rateLimitedCount(_ endpoint: String) -> Int { value(endpoint, "rate_limited") }

    /// Counts a new session refused by the session cap.
    public func sessionCapRefused() {
        capRefusals.increment()
        tallies.withLock { $0[EndpointOutcome(endpoint: "auth", outcome: "session_cap"), default: 0] += 1 }
    }

    public var sessionCapRefusals: Int { value("auth", "session_cap") }

    /// The exposition text.
    ///
    /// - Parameters:
    ///   - sessions: live sessions.
    ///   - expired: sessions dropped on expiry since start (a running total from the store).
    public func prometheusText(sessions: Int, expired total: Int) -> String {
        liveSessions.set(Int64(sessions))
        let added = expiredSeen.withLock { seen in
            defer { seen = max(seen, total) }
            return max(0, total - seen)
        }
        if added > 0 { expired.increment(by: Int64(added)) }
        return registry.emitToString()
    }
}
