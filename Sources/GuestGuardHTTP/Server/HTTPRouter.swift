/// Maps method and path to an async handler. Paths match exactly, or by prefix when the pattern
/// ends in `*` (`"/kbs/v0/resource/*"` matches `/kbs/v0/resource/a/b/c` but not the bare prefix).
public struct HTTPRouter: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) async -> HTTPResponse
    /// A handler that answers at once, on the connection's event loop, without a task: for
    /// prebuilt responses on hot paths. It must not block or do slow work.
    public typealias ImmediateHandler = @Sendable (HTTPRequest) -> HTTPResponse

    /// What the router decided for one request.
    enum Resolution {
        case handler(Handler)
        case immediate(ImmediateHandler)
        /// The path is routed, but not for this method; `allowed` feeds the `Allow` header.
        case methodNotAllowed(allowed: [HTTPRequestMethod])
        case notFound
    }

    private enum RouteHandler: Sendable {
        case async(Handler)
        case immediate(ImmediateHandler)
    }

    private struct Route: Sendable {
        let method: HTTPRequestMethod
        let pattern: String
        let isPrefix: Bool
        let handler: RouteHandler

        func matches(path: String) -> Bool {
            isPrefix ? path.hasPrefix(pattern) && path.utf8.count > pattern.utf8.count : path == pattern
        }
    }

    private var routes: [Route] = []
    /// The methods this router routes for any path; a request with another method gets 405.
    private(set) var knownMethods: Set<HTTPRequestMethod> = []

    public init() {}

    /// Adds a route. A later route for the same method and pattern does not replace an earlier
    /// one: the first match wins.
    public mutating func add(_ method: HTTPRequestMethod, _ pattern: String, handler: @escaping Handler) {
        append(method, pattern, .async(handler))
    }

    /// Adds a route whose handler answers immediately on the event loop (see `ImmediateHandler`).
    public mutating func addImmediate(_ method: HTTPRequestMethod, _ pattern: String, handler: @escaping ImmediateHandler) {
        append(method, pattern, .immediate(handler))
    }

    private mutating func append(_ method: HTTPRequestMethod, _ pattern: String, _ handler: RouteHandler) {
        precondition(pattern.hasPrefix("/"), "route pattern \(pattern) must start with /")
        let isPrefix = pattern.hasSuffix("*")
        routes.append(
            Route(
                method: method, pattern: isPrefix ? String(pattern.dropLast()) : pattern,
                isPrefix: isPrefix, handler: handler))
        knownMethods.insert(method)
    }

    func resolve(method: HTTPRequestMethod, path: String) -> Resolution {
        // The common case, a routed method and path, allocates nothing.
        for route in routes where route.method == method && route.matches(path: path) {
            switch route.handler {
            case .async(let handler): return .handler(handler)
            case .immediate(let handler): return .immediate(handler)
            }
        }
        let matching = routes.filter { $0.matches(path: path) }
        if matching.isEmpty { return .notFound }
        var allowed: [HTTPRequestMethod] = []
        for route in matching where !allowed.contains(route.method) { allowed.append(route.method) }
        return .methodNotAllowed(allowed: allowed)
    }
}
