/// Why a client request failed. Each case names where (`host:port`) and what.
public enum HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidURL(String, reason: String)
    /// The request cannot be sent as given (for example `https` without a TLS configuration,
    /// or a header value with a line break).
    case invalidRequest(reason: String)
    /// The host name did not resolve to any address.
    case resolutionFailed(host: String)
    /// Every address of the host refused the connection (ECONNREFUSED).
    case connectionRefused(host: String, port: Int)
    /// Connecting failed for another reason (unreachable network, reset, …).
    case connectFailed(host: String, port: Int, reason: String)
    /// No connection within the connect timeout.
    case connectTimeout(host: String, port: Int)
    /// The whole request (connect, TLS, sending, receiving) did not finish within its timeout.
    case timeout(host: String, port: Int)
    /// The response body is, or would be, larger than the limit.
    case responseTooLarge(limit: Int, declaredLength: Int?)
    /// TLS failed; the case says why (pin mismatch, verification, OpenSSL reason).
    case tls(TLSError)
    /// The server sent something that is not a valid HTTP/1.1 response.
    case malformedResponse(reason: String)
    /// The connection closed before the response was complete.
    case connectionClosed(host: String, port: Int)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason): return "invalid URL \(url): \(reason)"
        case .invalidRequest(let reason): return "invalid request: \(reason)"
        case .resolutionFailed(let host): return "cannot resolve \(host)"
        case .connectionRefused(let host, let port): return "connection to \(host):\(port) refused"
        case .connectFailed(let host, let port, let reason): return "cannot connect to \(host):\(port): \(reason)"
        case .connectTimeout(let host, let port): return "connecting to \(host):\(port) timed out"
        case .timeout(let host, let port): return "request to \(host):\(port) timed out"
        case .responseTooLarge(let limit, let declared):
            return "response larger than \(limit) bytes" + (declared.map { " (Content-Length \($0))" } ?? "")
        case .tls(let error): return "\(error)"
        case .malformedResponse(let reason): return "malformed response: \(reason)"
        case .connectionClosed(let host, let port): return "\(host):\(port) closed the connection before the response was complete"
        }
    }
}
