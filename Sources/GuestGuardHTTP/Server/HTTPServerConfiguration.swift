/// Everything an `HTTPServer` needs besides its routes.
public struct HTTPServerConfiguration: Sendable {
    public var address: HTTPServerAddress
    public var limits: HTTPServerLimits
    /// When set, every connection speaks TLS (system OpenSSL) before HTTP.
    public var tls: TLSServerConfiguration?
    /// Where route handlers run (default: Swift's concurrency pool).
    public var handlerExecution: HTTPHandlerExecution = .concurrencyPool

    public init(address: HTTPServerAddress, limits: HTTPServerLimits = HTTPServerLimits(), tls: TLSServerConfiguration? = nil) {
        self.address = address
        self.limits = limits
        self.tls = tls
    }
}
