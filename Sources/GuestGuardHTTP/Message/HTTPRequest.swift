/// A complete HTTP/1.1 request as the server hands it to a route handler: the head is parsed,
/// the body is fully received and within the configured limit.
public struct HTTPRequest: Sendable, Hashable {
    public var method: HTTPRequestMethod
    /// The path of the request target, exactly as sent (still percent-encoded), e.g. `/kbs/v0/auth`.
    public var path: String
    /// The query of the request target, split on `&` and `=` and percent-decoded, in order.
    public var query: [HTTPQueryItem]
    public var headers: HTTPHeaderFields
    public var body: [UInt8]
    /// The peer of the connection; nil only for requests built by hand.
    public var remoteAddress: HTTPRemoteAddress?

    public init(
        method: HTTPRequestMethod, path: String, query: [HTTPQueryItem] = [], headers: HTTPHeaderFields = [:],
        body: [UInt8] = [], remoteAddress: HTTPRemoteAddress? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The first value of the query parameter `name`, or nil.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }
}

/// One `name=value` pair of a request query. A pair without `=` has an empty value.
public struct HTTPQueryItem: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
