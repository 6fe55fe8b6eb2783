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
