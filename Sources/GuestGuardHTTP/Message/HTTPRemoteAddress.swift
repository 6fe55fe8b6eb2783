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

extension HTTPRemoteAddress {
    /// The client as a rate limit sees it: the IPv4 address (also for an IPv4-mapped IPv6
    /// address), the /64 prefix of an IPv6 address (one host usually holds a whole /64), or
    /// `unix`. The port is left out: every connection of a host counts as the same client.
    public var rateLimitKey: String {
        switch self {
        case .unixSocket:
            return "unix"
        case .ip(let address, _):
            guard address.contains(":") else { return address }
            return Self.ipv6Prefix64(address) ?? address
        }
    }

    /// `2001:db8:1:2::/64` for any address in that /64; the IPv4 address for `::ffff:a.b.c.d`;
    /// nil when `text` is not an IPv6 address in the textual forms of RFC 4291 §2.2.
    static func ipv6Prefix64(_ text: String) -> String? {
        var text = Substring(text)
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }  // zone index
        var groups: [UInt16] = []
        var embeddedIPv4: String?
        func parse(_ part: Substring) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            var parsed: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    let octets = piece.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
                    guard octets.count == 4 else { return nil }
                    embeddedIPv4 = octets.map(String.init).joined(separator: ".")
                    parsed += [UInt16(octets[0]) << 8 | UInt16(octets[1]), UInt16(octets[2]) << 8 | UInt16(octets[3])]
                } else {
                    guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                    parsed.append(value)
                }
            }
            return parsed
        }
        if let gap = text.firstRange(of: "::") {
            guard let head = parse(text[..<gap.lowerBound]), let tail = parse(text[gap.upperBound...]), head.count + tail.count <= 7 else { return nil }
            groups = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = parse(text), all.count == 8 else { return nil }
            groups = all
        }
        if let embeddedIPv4, groups[0..<6] == [0, 0, 0, 0, 0, 0xFFFF] { return embeddedIPv4 }
        return groups[0..<4].map { String($0, radix: 16) }.joined(separator: ":") + "::/64"
    }
}
