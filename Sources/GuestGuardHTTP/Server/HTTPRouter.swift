/// Maps method and path to an async handler. Paths match exactly, or by prefix when the pattern
/// ends in `*` (`"/kbs/v0/resource/*"` matches `/kbs/v0/resource/a/b/c` but not the bare prefix).
public struct HTTPRouter: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) async -> HTTPResponse

    /// What the router decided for one request.
    enum Resolution {
        case handler(Handler)
        /// The path is routed, but not for this method; `allowed` feeds the `Allow` header.
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    private struct Route: Sendable {
        let method: HTTPMethod
        let pattern: String
        let isPrefix: Bool
        let handler: Handler

        func matches(path: String) -> Bool {
            isPrefix ? path.hasPrefix(pattern) && path.utf8.count > pattern.utf8.count : path == pattern
        }
    }

    private var routes: [Route] = []

    public init() {}

    /// Adds a route. A later route for the same method and pattern does not replace an earlier
    /// one: the first match wins.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, handler: @escaping Handler) {
        precondition(pattern.hasPrefix("/"), "route pattern \(pattern) must start with /")
        let isPrefix = pattern.hasSuffix("*")
        routes.append(
            Route(
                method: method, pattern: isPrefix ? String(pattern.dropLast()) : pattern,
                isPrefix: isPrefix, handler: handler))
    }

    /// The methods this router routes for any path; a request with another method gets 405.
    var knownMethods: Set<HTTPMethod> { Set(routes.map(\.method)) }

    func resolve(method: HTTPMethod, path: String) -> Resolution {
        let matching = routes.filter { $0.matches(path: path) }
        if let route = matching.first(where: { $0.method == method }) { return .handler(route.handler) }
        if matching.isEmpty { return .notFound }
        var allowed: [HTTPMethod] = []
        for route in matching where !allowed.contains(route.method) { allowed.append(route.method) }
        return .methodNotAllowed(allowed: allowed)
    }
}
