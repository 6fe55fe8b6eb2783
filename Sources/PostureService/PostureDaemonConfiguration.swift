import GuestGuardHTTP

/// Where and how `guestguard serve` listens.
public struct PostureDaemonConfiguration: Sendable {
    /// The TCP listener (nil: none).
    public var listen: HTTPServerAddress?
    /// The root-only unix socket (mode 0600; nil: none).
    public var socketPath: String?
    /// Applied to both listeners.
    public var limits: HTTPServerLimits
    /// How often the source's snapshot is checked for a change.
    public var refreshInterval: Duration
    public var attestation: PostureEndpoints.AttestationSettings

    public init(listen: HTTPServerAddress?, socketPath: String?, limits: HTTPServerLimits = Self.defaultLimits,
                refreshInterval: Duration = .seconds(1), attestation: PostureEndpoints.AttestationSettings = .init()) {
        self.listen = listen
        self.socketPath = socketPath
        self.limits = limits
        self.refreshInterval = refreshInterval
        self.attestation = attestation
    }

    /// Tighter than the server's defaults: the API takes no request body at all, heads are
    /// small, and a client has 5 s to send one.
    public static var defaultLimits: HTTPServerLimits {
        var limits = HTTPServerLimits()
        limits.maxHeadBytes = 8 * 1024
        limits.maxHeaderCount = 32
        limits.maxBodyBytes = 0
        limits.headTimeout = .seconds(5)
        limits.bodyTimeout = .seconds(5)
        limits.idleTimeout = .seconds(30)
        limits.writeTimeout = .seconds(10)
        limits.maxConnections = 512
        limits.shutdownGracePeriod = .seconds(5)
        return limits
    }
}
