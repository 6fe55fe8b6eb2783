import AMDCertificateProfile
import CanonicalJSON
import GuestGuardAppraisal
import GuestGuardCrypto
import GuestGuardHTTP
import GuestGuardPlatform
import KeyBrokerProtocol
import SNPABI
import SNPPolicy
import Synchronization

/// The tenant's key broker: Trustee KBS protocol 0.4.0 (`/kbs/v0/auth`, `/kbs/v0/attest`,
/// `/kbs/v0/resource/<repo>/<type>/<tag>`) plus `/healthz` and `/metrics`.
///
/// At `/attest` it checks the nonce (single use), the REPORT_DATA binding of nonce and
/// `tee-pubkey`, and the AMD chain and report signature against the union of the trust every
/// resource policy grants. At `/resource` it applies that resource's own policy (its trust
/// anchors and report rules) to the stored evidence, and releases the key only then, sealed to
/// the guest's key. Every release and every refusal is an audit line. Errors use Trustee's
/// RFC 7807 shapes and status codes (401, 404), so Trustee clients behave the same.
///
/// Against floods: per-client token buckets on `/auth` and `/attest` (``BrokerLimits``) and a hard
/// cap on live sessions (``BrokerSessionStore``), both answered with 429 and `Retry-After`.
public final class KeyBrokerService: Sendable {
    /// Keys, policies, sessions and the audit trail (``EmbeddedBrokerStorage`` or PostgreSQL).
    public let storage: any BrokerStorage
    /// Reads the ARK files policies name (`[trust] roots`).
    let trustFiles: any FileSystem
    public let metrics = BrokerMetrics()
    let sealer: any ResourceSealer
    let audit: any AuditSink
    let clock: any WallClock
    let random: any RandomSource
    /// Seconds a session lives, and live sessions at most.
    public let sessionLifetime: Int64
    public let maxSessions: Int
    /// Appraisers keyed by policy text and the SHA-256 of every file it names, so each keeps its
    /// VEK chain cache and a replaced ARK file takes effect at the next handshake.
    let appraisers = Mutex<[String: ReportAppraiser]>([:])
    let authLimiter: ClientRateLimiter
    let attestLimiter: ClientRateLimiter
    /// The union of every policy's trust and the store's policy generation it was computed at.
    let trustUnion = Mutex<(generation: String, trust: TrustPolicy)?>(nil)
    /// Parsed policies by their text.
    let parsedPolicies = Mutex<[String: SNPVerificationPolicy]>([:])
    /// Made (or read from the store) at the first release.
    let fingerprinter = Mutex<KeyFingerprinter?>(nil)
    /// Where VCEKs come from when evidence has no `cert_chain` (nil: such evidence is refused).
    let kds: BrokerKDS?
    /// AMD's CRL per ARK for evidence with its own `cert_chain`, and whether one is required.
    let revocationLists: RevocationLists

    /// - Parameters:
    ///   - storage: where keys, policies, sessions and audit rows live.
    ///   - trustFiles: the file system holding the ARK files policies name.
    public init(storage: any BrokerStorage, trustFiles: any FileSystem, sealer: any ResourceSealer, audit: any AuditSink, clock: any WallClock,
                random: any RandomSource, sessionLifetime: Int64 = 300, maxSessions: Int = 100_000, limits: BrokerLimits = BrokerLimits(),
                kds: BrokerKDS? = nil, revocation: RevocationMode = .bestEffort)
    {
        precondition(sessionLifetime > 0 && maxSessions > 0, "sessions need a positive lifetime and capacity")
        self.storage = storage
        self.trustFiles = trustFiles
        self.sealer = sealer
        self.audit = audit
        self.clock = clock
        self.random = random
        self.sessionLifetime = sessionLifetime
        self.maxSessions = maxSessions
        authLimiter = ClientRateLimiter(limits.auth)
        attestLimiter = ClientRateLimiter(limits.attest)
        self.kds = kds
        revocationLists = RevocationLists(mode: revocation)
    }

    /// The embedded store: `store`'s directory and `sessions` in this process.
    public convenience init(store: BrokerStore, sealer: any ResourceSealer, audit: any AuditSink, clock: any WallClock, random: any RandomSource,
                            sessions: BrokerSessionStore = BrokerSessionStore(), limits: BrokerLimits = BrokerLimits())
    {
        self.init(storage: EmbeddedBrokerStorage(files: store, sessions: sessions), trustFiles: store.files, sealer: sealer, audit: audit,
                  clock: clock, random: random, sessionLifetime: sessions.lifetime, maxSessions: sessions.capacity, limits: limits)
    }

    public func handle(_ request: BrokerRequest) async -> BrokerResponse {
        switch (request.method, request.path) {
        case ("GET", "/healthz"):
            do { try await storage.ping() } catch {
                return BrokerResponse(status: 503, headers: [("Content-Type", "text/plain"), ("Retry-After", "1")], body: Array("store unavailable\n".utf8))
            }
            return BrokerResponse(status: 200, headers: [("Content-Type", "text/plain")], body: Array("ok\n".utf8))
        case ("GET", "/metrics"):
            let counts = (try? await storage.sessionCounts(now: now)) ?? (live: 0, expired: 0)
            return BrokerResponse(status: 200, headers: [("Content-Type", BrokerMetrics.contentType)],
                                  body: Array(metrics.prometheusText(sessions: counts.live, expired: counts.expired).utf8))
        case ("POST", "/kbs/v0/auth"):
            if let refused = limited("auth", request, by: authLimiter) { return refused }
            return await answering("auth", request) { () async throws(BrokerStoreError) in try await auth(request) }
        case ("POST", "/kbs/v0/attest"):
            if let refused = limited("attest", request, by: attestLimiter) { return refused }
            return await answering("attest", request) { () async throws(BrokerStoreError) in try await attest(request) }
        case ("GET", _) where request.path.hasPrefix("/kbs/v0/resource/"):
            return await answering("resource", request) { () async throws(BrokerStoreError) in
                try await resource(request, path: String(request.path.dropFirst("/kbs/v0/resource/".count)))
            }
        case (_, "/kbs/v0/auth"), (_, "/kbs/v0/attest"), (_, "/healthz"), (_, "/metrics"):
            return problem(405, "MethodNotAllowed", "method \(request.method) not allowed on \(request.path)")
        default:
            let plugin = request.path.hasPrefix("/kbs/v0/") ? String(request.path.dropFirst(8).prefix(while: { $0 != "/" })) : request.path
            return problem(404, "PluginNotFound", "Plugin \(plugin) not found")
        }
    }

    // MARK: helpers shared by the endpoints

    /// Runs an endpoint; a store that does not answer gives 503 with `Retry-After` (the guest
    /// retries, here or at another replica) and an audited refusal. Nothing is released.
    func answering(_ endpoint: String, _ request: BrokerRequest, _ body: () async throws(BrokerStoreError) -> BrokerResponse) async -> BrokerResponse {
        let started = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - started
            metrics.observe(endpoint, elapsed)
        }
        do { return try await body() } catch {
            var unavailable = false
            if case .unavailable = error { unavailable = true }
            refuse(endpoint, request, session: request.cookie(KBSProtocol.sessionCookieName), reason: unavailable ? .storeUnavailable : .internalError,
                   reasons: [error.description])
            if unavailable { metrics.count(endpoint, "unavailable") }
            return problem(503, "StoreUnavailable", "the broker's store is unavailable: retry", headers: [("Retry-After", "1")])
        }
    }

    var now: Int64 { clock.now().seconds }
    var timestamp: String { RFC3339.format(clock.now()) }

    func problem(_ status: Int, _ variant: String, _ detail: String, headers: [(name: String, value: String)] = []) -> BrokerResponse {
        let body = (try? ProblemDetails(kbsError: variant, detail: detail).jsonBytes()) ?? Array(detail.utf8)
        return BrokerResponse(status: status, headers: headers + [("Content-Type", "application/json")], body: body)
    }

    func json(_ message: some KBSMessage, headers: [(name: String, value: String)] = []) -> BrokerResponse {
        guard let body = try? message.jsonBytes() else { return problem(401, "SerdeError", "Serialize/Deserialize failed") }
        return BrokerResponse(status: 200, headers: headers + [("Content-Type", "application/json")], body: body)
    }

    func sessionCookie(_ session: BrokerSession) -> (name: String, value: String) {
        ("Set-Cookie", "\(KBSProtocol.sessionCookieName)=\(session.id); Expires=\(HTTPDate.format(session.expires))")
    }

    /// 503 with `Retry-After` when the audit log cannot be written: nothing is released, and the
    /// guest retries (here once the log is writable, or at another replica).
    func auditUnavailable() -> BrokerResponse {
        problem(503, "AuditUnavailable", "the broker cannot write its audit log: retry", headers: [("Retry-After", "1")])
    }

    /// Counts and audits a refusal. A refusal releases nothing, so one whose line cannot be
    /// written still stands (the failure to write is what ``auditUnavailable()`` reports).
    func refuse(_ endpoint: String, _ request: BrokerRequest, session: String?, resource: String? = nil, report: AttestationReport? = nil,
                reason: RefusalReason, reasons: [String]) {
        metrics.refused(endpoint, reason)
        try? audit.record(AuditEvent(time: timestamp, decision: .refusal, endpoint: endpoint, session: session, resource: resource,
                                client: request.client, measurement: report.map { Hex.encode($0.measurement) },
                                chipID: report.map { Hex.encode($0.chipID.prefix(8)) }, reasons: reasons))
    }

    /// 429 with `Retry-After` when `request`'s client has no token left for `endpoint`; nil to go
    /// on. Requests without a client (in-process callers) are not limited. Not audited: a flood
    /// would flood the audit log; `/metrics` counts them.
    func limited(_ endpoint: String, _ request: BrokerRequest, by limiter: ClientRateLimiter) -> BrokerResponse? {
        guard let client = request.rateLimitKey else { return nil }
        let time = clock.now()
        guard case .limited(let retryAfter) = limiter.take(client, at: .seconds(time.seconds) + .nanoseconds(Int64(time.nanoseconds))) else {
            return nil
        }
        metrics.rateLimited(endpoint)
        return problem(429, "TooManyRequests", "too many requests from \(client): retry in \(retryAfter) s",
                       headers: [("Retry-After", String(retryAfter))])
    }

    /// The appraiser for `trust` and `rules`. The ARK files `trust` names are read on every call
    /// and their SHA-256 is part of the cache key: the cache follows the files' contents, so an ARK
    /// replaced at the same path is the only one trusted from the next handshake on.
    func appraiser(trust: TrustPolicy, rules: SNPVerificationPolicy?, cacheKey: String) throws -> ReportAppraiser {
        var texts: [String] = []
        var key = cacheKey
        for path in trust.arkCertificatePaths {
            let text = try trustFiles.readText(path)
            texts.append(text)
            key += "|" + path + "=" + Hex.encode(try HashFunction.sha256.hash(Array(text.utf8)))
        }
        if let existing = appraisers.withLock({ $0[key] }) { return existing }
        var roots: [X509Certificate] = []
        for text in texts { roots += try X509Certificate.certificates(pemEncoded: text) }
        let created = try ReportAppraiser(trust: trust, rules: rules, configuredRoots: roots)
        appraisers.withLock { table in
            if table.count > 256 { table.removeAll() }
            table[key] = created
        }
        return created
    }

    /// The broker's ``KeyFingerprinter``, loading or creating its secret on first use.
    func keyFingerprinter() async throws(BrokerStoreError) -> KeyFingerprinter {
        if let existing = fingerprinter.withLock({ $0 }) { return existing }
        let loaded = KeyFingerprinter(secret: try await storage.keyIDSecret(random: random))
        return fingerprinter.withLock { cached in
            if let cached { return cached }
            cached = loaded
            return loaded
        }
    }
}

/// IMF-fixdate (RFC 9110 §5.6.7), as cookies' `Expires` uses: `Sun, 06 Nov 1994 08:49:37 GMT`.
enum HTTPDate {
    static func format(_ seconds: Int64) -> String {
        let iso = RFC3339.format(Timestamp(seconds: seconds))  // 1994-11-06T08:49:37Z
        let chars = Array(iso)
        let year = String(chars[0..<4]), month = Int(String(chars[5..<7]))!, day = String(chars[8..<10]), time = String(chars[11..<19])
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][Int(((days % 7) + 7) % 7)]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(weekday), \(day) \(months[month - 1]) \(year) \(time) GMT"
    }
}
