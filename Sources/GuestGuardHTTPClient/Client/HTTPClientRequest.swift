/// One request for `HTTPClient`. `Host`, `Content-Length` and `Connection` are set by the client;
/// cookies are whatever the caller puts in `headers` (the caller manages `kbs-session-id`).
public struct HTTPClientRequest: Sendable, Hashable {
    public var method: HTTPRequestMethod
    public var url: HTTPURL
    public var headers: HTTPHeaderFields
    /// Sent with `Content-Length` (never chunked). Empty for no body.
    public var body: [UInt8]
    /// Overrides `HTTPClientConfiguration.connectTimeout` for this request.
    public var connectTimeout: Duration?
    /// Overrides `HTTPClientConfiguration.requestTimeout` for this request.
    public var timeout: Duration?

    public init(
        method: HTTPRequestMethod, url: HTTPURL, headers: HTTPHeaderFields = [:], body: [UInt8] = [],
        connectTimeout: Duration? = nil, timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }
}
