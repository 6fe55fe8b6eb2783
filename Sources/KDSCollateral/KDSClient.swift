import GuestGuardHTTP
import GuestGuardPlatform
import SNPABI
import Synchronization

/// Where and how politely to ask AMD's Key Distribution Service.
public struct KDSConfiguration: Sendable {
    /// AMD's KDS.
    public static let amdBaseURL = "https://kdsintf.amd.com"
    /// Debian's bundle of the usual web CAs (`ca-certificates`).
    public static let systemCABundle = "/etc/ssl/certs/ca-certificates.crt"

    /// `https://host[:port][/prefix]` or, for a mirror on a trusted network, `http://…`.
    public var baseURL: String
    /// For an `https` base: the CA certificates (PEM) the server's chain must verify to, with its
    /// name checked against the URL's host. Transport trust is secondary — every VCEK is verified
    /// against the ARK the tenant trusts and the CRL against its ARK — but KDS is reached the
    /// normal web way so a network attacker cannot even feed the cache.
    public var caFile: String
    /// Connect, send and receive for one request.
    public var requestTimeout: Duration
    /// Retries after a failure that may pass (transport, 5xx, 429), with jittered exponential backoff.
    public var retry: RetryPolicy
    /// Requests KDS gets from this process at most: a burst, then this many per second.
    public var burst: Int
    public var requestsPerSecond: Double
    /// The longest wait (for a rate-limit token, a 429's `Retry-After`, or a backoff) one fetch
    /// accepts; beyond it the fetch fails as unavailable, telling the caller when to come back.
    public var maximumWaitSeconds: Int

    public init(baseURL: String = amdBaseURL, caFile: String = systemCABundle, requestTimeout: Duration = .seconds(10),
                retry: RetryPolicy = RetryPolicy(attempts: 3, initialDelay: .milliseconds(250), maximumDelay: .seconds(2)),
                burst: Int = 10, requestsPerSecond: Double = 2, maximumWaitSeconds: Int = 10) {
        self.baseURL = baseURL
        self.caFile = caFile
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.burst = max(1, burst)
        self.requestsPerSecond = requestsPerSecond > 0 ? requestsPerSecond : 1
        self.maximumWaitSeconds = max(0, maximumWaitSeconds)
    }
}

/// Fetches KDS documents over the project's HTTP client: one shared token bucket toward KDS, a
/// shared hold-off when KDS answers 429 (its `Retry-After` applies to every request of this
/// process, not only the one that got it), and jittered exponential backoff for failures that may
/// pass. 404 and other statuses are final. It returns the raw bytes; ``KDSCollateralProvider``
/// checks and caches them.
public final class KDSClient: Sendable {
    public let configuration: KDSConfiguration
    private let base: HTTPURL
    private let http: HTTPClient
    private let clock: any WallClock
    private let random: any RandomSource
    private let pacing: Mutex<(bucket: TokenBucket, holdUntil: Int64)>
    /// Requests sent to KDS (every attempt), for `/metrics` and tests.
    private let sent = Atomic<Int>(0)

    public init(configuration: KDSConfiguration, clock: any WallClock, random: any RandomSource) throws(KDSError) {
        var text = configuration.baseURL
        while text.hasSuffix("/") { text.removeLast() }
        do { base = try HTTPURL(text) } catch { throw .configuration(reason: "base URL: \(error)") }
        guard !base.target.contains("?") else { throw .configuration(reason: "base URL \(text) has a query") }
        var http = HTTPClientConfiguration(requestTimeout: configuration.requestTimeout, maxResponseBodyBytes: 4 * 1024 * 1024,
                                           userAgent: "guestguard-kds", keepAlive: true)
        if base.scheme == .https {
            // The client never reads the system store by itself: the CA bundle is handed to it
            // explicitly, and the host name is checked against the server's certificate.
            do { http.tls = try TLSClientConfiguration(pinnedCAFile: configuration.caFile) } catch {
                throw .configuration(reason: "https base URL \(text) needs the CA bundle \(configuration.caFile): \(error)")
            }
        }
        do { self.http = try HTTPClient(configuration: http) } catch { throw .configuration(reason: "\(error)") }
        self.configuration = configuration
        self.clock = clock
        self.random = random
        pacing = Mutex((TokenBucket(capacity: configuration.burst, refillPerSecond: configuration.requestsPerSecond), 0))
    }

    deinit { http.shutdown() }

    /// How many requests this client has sent.
    public var requestCount: Int { sent.load(ordering: .relaxed) }

    /// The URL of `document`.
    public func url(of document: KDSDocument) -> String {
        base.description.hasSuffix("/") ? String(base.description.dropLast()) + document.path : base.description + document.path
    }

    /// The document's bytes (status 200), after rate limiting, hold-offs and retries.
    public func fetch(_ document: KDSDocument) async throws(KDSError) -> [UInt8] {
        var failure = KDSError.unavailable(document, reason: "not attempted", retryAfterSeconds: 1)
        for attempt in 0..<configuration.retry.attempts {
            if attempt > 0 {
                let jitter = Double((try? random.bytes(1).first) ?? 128) / 255
                try await pause(configuration.retry.jitteredDelay(afterAttempt: attempt, fraction: jitter), for: document)
            }
            try await admission(for: document)
            do { return try await once(document) } catch {
                guard error.isRetryable, error.retryAfterSeconds <= configuration.maximumWaitSeconds else { throw error }
                failure = error
            }
        }
        throw failure
    }

    /// One GET.
    private func once(_ document: KDSDocument) async throws(KDSError) -> [UInt8] {
        let url: HTTPURL
        do { url = try HTTPURL(self.url(of: document)) } catch { throw .configuration(reason: "\(error)") }
        sent.add(1, ordering: .relaxed)
        let response: HTTPResponse
        do { response = try await http.executeOffPool(HTTPClientRequest(method: .get, url: url)) } catch {
            throw .unavailable(document, reason: "\(error)", retryAfterSeconds: 1)
        }
        let retryAfter = response.headers["Retry-After"].flatMap { Int($0.filter { $0 != " " }) }.map { max(1, $0) }
        switch response.status.code {
        case 200: return response.body
        case 404: throw .notFound(document)
        case 429:
            let seconds = retryAfter ?? 5
            pacing.withLock { $0.holdUntil = max($0.holdUntil, now() + Int64(seconds)) }
            throw .unavailable(document, reason: "429 Too Many Requests", retryAfterSeconds: seconds)
        case 500...599, 408:
            throw .unavailable(document, reason: "status \(response.status.code)", retryAfterSeconds: retryAfter ?? 1)
        default: throw .unexpectedStatus(document, status: response.status.code)
        }
    }

    /// Waits for the 429 hold-off to end and for a token, within ``KDSConfiguration/maximumWaitSeconds``.
    private func admission(for document: KDSDocument) async throws(KDSError) {
        var waited = 0
        while true {
            let decision = pacing.withLock { state -> Int in
                let time = clock.now()
                let hold = state.holdUntil - time.seconds
                if hold > 0 { return Int(hold) }
                switch state.bucket.take(at: .seconds(time.seconds) + .nanoseconds(Int64(time.nanoseconds))) {
                case .allowed: return 0
                case .limited(let seconds): return seconds
                }
            }
            guard decision > 0 else { return }
            guard waited + decision <= configuration.maximumWaitSeconds else {
                throw .unavailable(document, reason: "rate limit toward KDS (this broker's, or KDS's 429)", retryAfterSeconds: decision)
            }
            try await pause(.seconds(decision), for: document)
            waited += decision
        }
    }

    private func pause(_ duration: Duration, for document: KDSDocument) async throws(KDSError) {
        guard duration > .zero else { return }
        // The clock blocks its thread: off the cooperative pool.
        let clock = self.clock
        await runOffPool { clock.sleep(for: duration) }
        if Task.isCancelled { throw .unavailable(document, reason: "cancelled", retryAfterSeconds: 1) }
    }

    private func now() -> Int64 { clock.now().seconds }
}
