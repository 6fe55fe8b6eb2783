/// Where a server listens: a TCP address, or a unix domain socket path.
public enum HTTPServerAddress: Hashable, Sendable, CustomStringConvertible {
    /// A numeric IPv4 or IPv6 address (`"127.0.0.1"`, `"::1"`, `"0.0.0.0"`, `"::"`) and a port;
    /// port 0 asks the kernel for a free one, reported by `HTTPServer.start()`.
    case tcp(host: String, port: Int)
    /// A unix domain socket, created with mode 0600 (owner only). An existing socket at the path
    /// is replaced; any other kind of file there is an error.
    case unixSocket(path: String)

    public var description: String {
        switch self {
        case .tcp(let host, let port): return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unixSocket(let path): return "unix:\(path)"
        }
    }
}

extension HTTPServerAddress {
    /// Parses a listen address as given on a command line: `ADDR:PORT`, `[IPv6]:PORT`, or
    /// `:PORT` (all IPv4 interfaces). Nil when the port is missing or outside 0...65535.
    public init?(listening text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            return nil
        }
        var host = Substring(text[..<colon])
        if host.hasPrefix("[") {
            guard host.hasSuffix("]") else { return nil }
            host = host.dropFirst().dropLast()
        } else if host.contains(":") {
            return nil  // an IPv6 address needs brackets
        }
        self = .tcp(host: host.isEmpty ? "0.0.0.0" : String(host), port: port)
    }
}
