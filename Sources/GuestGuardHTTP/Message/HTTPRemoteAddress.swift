/// Where a request came from, as the server's socket saw it.
public enum HTTPRemoteAddress: Hashable, Sendable, CustomStringConvertible {
    /// A TCP peer: its numeric IPv4 or IPv6 address (no brackets) and port.
    case ip(address: String, port: Int)
    /// A peer on a unix domain socket (unnamed on the client side).
    case unixSocket

    public var description: String {
        switch self {
        case .ip(let address, let port):
            return address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
        case .unixSocket:
            return "unix"
        }
    }
}
