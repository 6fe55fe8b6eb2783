/// The limits a public-facing server enforces on every connection. Each one, when exceeded,
/// gets a 4xx response (where the protocol still allows one) and the connection is closed;
/// the server keeps serving everyone else.
public struct HTTPServerLimits: Hashable, Sendable {
    /// Request line plus header lines, counted in raw bytes up to the blank line → 431.
    /// NIO's parser also stops at 80 KiB, so larger values have no effect.
    public var maxHeadBytes: Int = 16 * 1024
    /// Header field lines in one request → 431.
    public var maxHeaderCount: Int = 64
    /// Request body bytes → 413: at once when `Content-Length` says so, else while streaming.
    public var maxBodyBytes: Int = 1024 * 1024
    /// A connection with no request in progress (new, or kept alive) is closed after this.
    public var idleTimeout: Duration = .seconds(30)
    /// From the first byte of a request until its head is complete → 408 (slow-loris head).
    public var headTimeout: Duration = .seconds(10)
    /// From the end of the head until the body is complete → 408 (slow body).
    public var bodyTimeout: Duration = .seconds(30)
    /// A response the client does not read within this is abandoned and the connection closed.
    public var writeTimeout: Duration = .seconds(30)
    /// Connections open at once; further ones are closed as soon as they are accepted.
    public var maxConnections: Int = 256
    /// After `shutdown()`, in-flight requests get this long before their connections are closed.
    public var shutdownGracePeriod: Duration = .seconds(10)

    public init() {}
}
