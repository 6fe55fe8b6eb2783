/// Client-wide settings; the timeouts can be overridden per request.
public struct HTTPClientConfiguration: Sendable {
    /// Required for `https` URLs: how servers are authenticated (pins only, never the system store).
    public var tls: TLSClientConfiguration?
    public var connectTimeout: Duration
    /// Connect, TLS handshake, sending and receiving together.
    public var requestTimeout: Duration
    /// Response bodies larger than this fail with `responseTooLarge`, checked while reading.
    public var maxResponseBodyBytes: Int
    /// Sent as `User-Agent` unless the request sets one.
    public var userAgent: String?
    /// Reuse a connection for the next request to the same origin when the server allows it.
    public var keepAlive: Bool
    /// Idle kept-alive connections held per origin (at least 1). The guest sends one request at a
    /// time and needs 1; a client with many requests in flight (a load generator) holds as many as
    /// it has concurrent requests, as wrk does, instead of connecting anew for most of them.
    public var maxIdleConnectionsPerOrigin: Int

    public init(
        tls: TLSClientConfiguration? = nil, connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(60),
        maxResponseBodyBytes: Int = 1024 * 1024, userAgent: String? = nil, keepAlive: Bool = true, maxIdleConnectionsPerOrigin: Int = 1
    ) {
        precondition(maxIdleConnectionsPerOrigin >= 1, "maxIdleConnectionsPerOrigin must be at least 1")
        self.maxIdleConnectionsPerOrigin = maxIdleConnectionsPerOrigin
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxResponseBodyBytes = maxResponseBodyBytes
        self.userAgent = userAgent
        self.keepAlive = keepAlive
    }
}
