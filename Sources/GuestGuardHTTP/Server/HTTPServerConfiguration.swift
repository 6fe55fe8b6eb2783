/// Everything an `HTTPServer` needs besides its routes.
public struct HTTPServerConfiguration: Sendable {
    public var address: HTTPServerAddress
    public var limits: HTTPServerLimits
    /// When set, every connection speaks TLS (system OpenSSL) before HTTP.
    public var tls: TLSServerConfiguration?
    /// Run request handlers on their connection's event loop (``EventLoopTaskExecutor``) instead of
    /// Swift's global pool. For CPU-bound handlers that do not block on I/O for long (the key
    /// broker's): it saves two thread hand-offs per request, and a handler occupies its loop while it
    /// computes, so each core serves its connections in turn.
    public var handlersRunOnEventLoop = false

    public init(address: HTTPServerAddress, limits: HTTPServerLimits = HTTPServerLimits(), tls: TLSServerConfiguration? = nil) {
        self.address = address
        self.limits = limits
        self.tls = tls
    }
}
