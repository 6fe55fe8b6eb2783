import SNPABI

/// The initramfs network, from the `[network]` table of the measured boot configuration (never from the
/// host-controlled kernel command line: `ip=` is ignored). The local-top script brings it up from
/// ``plan`` before `boot-unlock` runs; `boot-unlock` applies ``connectTimeout`` and ``brokerDeadline``.
///
/// ```toml
/// [network]
/// interface = "eth0"                    # default: the first Ethernet device that appears
/// ipv4 = "dhcp"                         # "dhcp" (default), "static", "off"
/// ipv4-address = "192.0.2.10/24"        # ipv4 = "static" only (required there)
/// ipv4-gateway = "192.0.2.1"            # ipv4 = "static" only (optional)
/// ipv6 = "slaac"                        # "slaac" (default), "static", "off"
/// ipv6-address = "2001:db8::10/64"      # ipv6 = "static" only (required there)
/// ipv6-gateway = "fe80::1"              # ipv6 = "static" only (optional)
/// dns = ["192.0.2.53", "2001:db8::53"]  # 1…3 resolvers; default: the DHCP server's (ipv4 = "dhcp")
/// hosts = { "kbs.example" = "192.0.2.7" }  # names resolved without DNS (checked before it)
/// link-timeout-ms = 30000               # device, link, DHCP lease, SLAAC address
/// connect-timeout-ms = 10000            # each TCP connect to a broker
/// broker-deadline-ms = 60000            # one whole handshake (auth, attest, resource) with one broker
/// ```
///
/// The host runs the network and DNS: a resolver's answer only says where to connect. What makes the
/// server the broker is TLS (the pin, or the pinned CA and the broker's name in its certificate), so a
/// redirected name ends in the same refusal as a redirected address.
public struct BootNetwork: Sendable, Hashable {
    public enum IPv4: Sendable, Hashable {
        case dhcp
        case off
        case fixed(IPPrefix, gateway: IPAddress?)
    }

    public enum IPv6: Sendable, Hashable {
        case slaac
        case off
        case fixed(IPPrefix, gateway: IPAddress?)
    }

    public struct Host: Sendable, Hashable {
        public let name: String
        public let address: IPAddress

        public init(name: String, address: IPAddress) {
            self.name = name
            self.address = address
        }
    }

    /// Nil: the first Ethernet device (not loopback; broadcast or point-to-point) to appear.
    public var interface: String?
    public var ipv4: IPv4 = .dhcp
    public var ipv6: IPv6 = .slaac
    /// Resolvers; empty: the DHCP server's (only with `ipv4 = "dhcp"`).
    public var dns: [IPAddress] = []
    public var hosts: [Host] = []
    public var linkTimeout: Duration = .seconds(30)
    public var connectTimeout: Duration = .seconds(10)
    public var brokerDeadline: Duration = .seconds(60)

    public init() {}

    /// Whether a name can be resolved at all: a configured or DHCP resolver, or the static `hosts`.
    public func resolves(_ name: String) -> Bool {
        !dns.isEmpty || ipv4 == .dhcp || hosts.contains { $0.name == name }
    }

    /// Whether the address family of `address` is configured.
    public func reaches(_ address: IPAddress) -> Bool { address.isIPv4 ? ipv4 != .off : ipv6 != .off }

    /// What the local-top script runs, one `key value…` line each (values are validated addresses,
    /// names and numbers: no spaces, no shell metacharacters):
    /// `interface NAME|*`, `ipv4 dhcp|off|static PREFIX GATEWAY|-`, `ipv6 slaac|off|static PREFIX GATEWAY|-`,
    /// `dns ADDRESS` (each), `host NAME ADDRESS` (each), `link-timeout SECONDS`.
    public var plan: String {
        var lines = ["interface \(interface ?? "*")"]
        switch ipv4 {
        case .dhcp: lines.append("ipv4 dhcp")
        case .off: lines.append("ipv4 off")
        case .fixed(let prefix, let gateway): lines.append("ipv4 static \(prefix) \(gateway?.text ?? "-")")
        }
        switch ipv6 {
        case .slaac: lines.append("ipv6 slaac")
        case .off: lines.append("ipv6 off")
        case .fixed(let prefix, let gateway): lines.append("ipv6 static \(prefix) \(gateway?.text ?? "-")")
        }
        lines += dns.map { "dns \($0)" }
        lines += hosts.map { "host \($0.name) \($0.address)" }
        let seconds = linkTimeout.components.seconds + (linkTimeout.components.attoseconds > 0 ? 1 : 0)
        lines.append("link-timeout \(seconds)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The host part of a broker URL (`https://HOST[:PORT]/…`): an address literal or a DNS name.
    public enum BrokerHost: Sendable, Hashable {
        case address(IPAddress)
        case name(String)
    }

    /// Nil when the URL's host is neither an address literal nor a DNS name (``isHostName(_:)``).
    public static func brokerHost(_ url: String) -> BrokerHost? {
        guard let separator = url.firstRange(ofText: "://") else { return nil }
        let rest = url[separator.upperBound...]
        let authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            return IPAddress(String(authority[authority.index(after: authority.startIndex)..<close])).flatMap { $0.isIPv4 ? nil : .address($0) }
        }
        let host = String(authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0]).lowercased()
        if let address = IPAddress(host) { return address.isIPv4 ? .address(address) : nil }
        return isHostName(host) ? .name(host) : nil
    }

    /// RFC 1123 host name: dot-separated labels of 1…63 letters, digits and inner hyphens, 253 bytes at most,
    /// not all-numeric at the end (that would be a mistyped address).
    public static func isHostName(_ name: String) -> Bool {
        guard (1...253).contains(name.utf8.count) else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard let last = labels.last, !last.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.utf8.first != 0x2D && label.utf8.last != 0x2D
                && label.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D }
        }
    }

    /// Interface names as the kernel takes them (`dev_valid_name`, IFNAMSIZ 16 with the NUL), restricted to
    /// letters, digits, '-', '_', '.'.
    public static func isInterfaceName(_ name: String) -> Bool {
        (1...15).contains(name.utf8.count) && name != "." && name != ".."
            && name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }
}
