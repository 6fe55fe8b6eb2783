import GuestGuardHTTP
import GuestGuardPlatform
import Logging
import Synchronization

/// The read-only API of `guestguard serve` (docs/serve.md): `/healthz`, `/v1/posture`,
/// `/v1/attestation`, `/metrics`, for GET and HEAD only. The same router serves TCP and the
/// root-only unix socket.
///
/// `/healthz` and `/v1/posture` hand out responses rendered by `update(_:)` when the snapshot
/// changed; no request evaluates the posture.
public final class PostureEndpoints: Sendable {
    /// How `/v1/attestation` is limited and which VMPL it requests.
    public struct AttestationSettings: Sendable {
        /// Reports requested in a burst before the rate limit applies.
        public var burst: Int
        /// Sustained reports per second.
        public var perSecond: Double
        /// VMPL of the requested reports (at least the VMPL the guest runs at).
        public var vmpl: UInt32

        public init(burst: Int = 5, perSecond: Double = 1, vmpl: UInt32 = 0) {
            self.burst = burst
            self.perSecond = perSecond
            self.vmpl = vmpl
        }
    }

    let rendered: Mutex<RenderedPosture>
    let provider: any AttestationReportProvider
    let settings: AttestationSettings
    let bucket: Mutex<TokenBucket>
    let clock: any WallClock
    let logger: Logger
    /// Reported by `guestguard_build_info`.
    let version: String
    let counters = AttestationCounters()
    /// Origin of the monotonic time fed to the token bucket.
    let monotonicOrigin = ContinuousClock.now

    /// Renders `initial` at once: a document that cannot be serialized is a startup error.
    public init(initial: PostureSnapshot, provider: any AttestationReportProvider, settings: AttestationSettings = AttestationSettings(),
                clock: any WallClock, version: String, logger: Logger) throws(PostureServiceError) {
        do { rendered = Mutex(try RenderedPosture(initial)) } catch { throw .render(error.description) }
        self.provider = provider
        self.settings = settings
        bucket = Mutex(TokenBucket(capacity: settings.burst, refillPerSecond: settings.perSecond))
        self.clock = clock
        self.version = version
        self.logger = logger
    }

    /// Publishes a new snapshot if it differs from the current one. Returns whether it did.
    @discardableResult
    public func update(_ snapshot: PostureSnapshot) throws(PostureServiceError) -> Bool {
        guard rendered.withLock({ $0.snapshot != snapshot }) else { return false }
        let fresh: RenderedPosture
        do { fresh = try RenderedPosture(snapshot) } catch { throw .render(error.description) }
        rendered.withLock { $0 = fresh }
        return true
    }

    /// The snapshot being served.
    public var current: PostureSnapshot { rendered.withLock { $0.snapshot } }

    /// GET and HEAD for every endpoint; anything else is 405 (with `Allow`), unknown paths 404.
    public func router() -> HTTPRouter {
        var router = HTTPRouter()
        for method in [HTTPRequestMethod.get, .head] {
            // Prebuilt or cheap: answered on the event loop, no task per request.
            router.addImmediate(method, PostureEndpointPaths.health) { [self] _ in rendered.withLock { $0.health } }
            router.addImmediate(method, PostureEndpointPaths.posture) { [self] _ in rendered.withLock { $0.posture } }
            router.addImmediate(method, PostureEndpointPaths.metrics) { [self] _ in metrics() }
            router.add(method, PostureEndpointPaths.attestation) { [self] request in await attestation(request) }
        }
        return router
    }

    func metrics() -> HTTPResponse {
        let snapshot = current
        let text = PostureMetrics.render(snapshot: snapshot, attestations: counters.values, version: version)
        return HTTPResponse(status: .ok, headers: ["Content-Type": PostureMetrics.contentType, "Cache-Control": "no-store"], body: Array(text.utf8))
    }
}
