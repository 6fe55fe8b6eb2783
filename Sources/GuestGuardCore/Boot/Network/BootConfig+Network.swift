import GuestGuardConfig

/// The `[network]` table (``BootNetwork``), parsed strictly: each refusal names `file:line:column`, the key
/// and what was expected. The brokers are checked against it: an address of a family that is off, or a
/// name nothing can resolve, is refused at the broker's entry.
extension BootConfig {
    static let networkKeys = ["interface", "ipv4", "ipv4-address", "ipv4-gateway", "ipv6", "ipv6-address", "ipv6-gateway",
                              "dns", "hosts", "link-timeout-ms", "connect-timeout-ms", "broker-deadline-ms"]

    static func parseNetwork(_ root: TOMLTable) throws(ConfigError) -> BootNetwork {
        var network = BootNetwork()
        guard let table = try root["network"]?.table() else { return network }
        try table.requireKnownKeys(networkKeys)
        if let value = table["interface"] {
            let name = try value.string()
            guard BootNetwork.isInterfaceName(name) else { throw value.invalid(expected: "an interface name of 1…15 letters, digits, '-', '_', '.'") }
            network.interface = name
        }
        network.ipv4 = try family(table, "ipv4", automatic: "dhcp", ipv4: true).map { prefix, gateway in .fixed(prefix, gateway: gateway) } ?? .dhcp
        network.ipv6 = try family(table, "ipv6", automatic: "slaac", ipv4: false).map { prefix, gateway in .fixed(prefix, gateway: gateway) } ?? .slaac
        if try table["ipv4"]?.string() == "off" { network.ipv4 = .off }
        if try table["ipv6"]?.string() == "off" { network.ipv6 = .off }
        if network.ipv4 == .off, network.ipv6 == .off, let value = table["ipv6"] ?? table["ipv4"] {
            throw value.invalid(expected: "IPv4 or IPv6 (not both off: the brokers are on the network)")
        }
        if let value = table["dns"] {
            let entries = try value.array()
            guard (1...3).contains(entries.count) else { throw value.invalid(expected: "1…3 resolver addresses (glibc reads at most 3)") }
            for entry in entries {
                guard let address = IPAddress(try entry.string()) else { throw entry.invalid(expected: "an IPv4 or IPv6 address") }
                guard network.reaches(address) else { throw entry.invalid(expected: "a resolver of a family that is not off") }
                network.dns.append(address)
            }
        }
        if let value = table["hosts"] {
            let hosts = try value.table()
            guard hosts.keys.count <= 16 else { throw value.invalid(expected: "at most 16 host names") }
            for name in hosts.keys {
                let entry = try hosts.required(name)
                guard BootNetwork.isHostName(name), name == name.lowercased() else { throw entry.invalid(expected: "a lower-case host name as the key") }
                guard let address = IPAddress(try entry.string()) else { throw entry.invalid(expected: "an IPv4 or IPv6 address") }
                guard network.reaches(address) else { throw entry.invalid(expected: "an address of a family that is not off") }
                network.hosts.append(.init(name: name, address: address))
            }
        }
        if let value = table["link-timeout-ms"] { network.linkTimeout = .milliseconds(try value.integer(in: 1000...600_000)) }
        if let value = table["connect-timeout-ms"] { network.connectTimeout = .milliseconds(try value.integer(in: 100...300_000)) }
        if let value = table["broker-deadline-ms"] {
            network.brokerDeadline = .milliseconds(try value.integer(in: 1000...3_600_000))
            guard network.brokerDeadline >= network.connectTimeout else { throw value.invalid(expected: "at least connect-timeout-ms") }
        }
        return network
    }

    /// `ipv4`/`ipv6` and its `-address`/`-gateway`: the static prefix and gateway, or nil for the automatic
    /// mode and "off" (the caller sets those). The address keys are refused unless the mode is "static".
    private static func family(_ table: TOMLTable, _ key: String, automatic: String, ipv4: Bool) throws(ConfigError) -> (IPPrefix, IPAddress?)? {
        let mode = try table[key]?.string(oneOf: [automatic, "static", "off"]) ?? automatic
        let gatewayValue = table["\(key)-gateway"]
        let name = ipv4 ? "IPv4" : "IPv6"
        guard mode == "static" else {
            if let extra = table["\(key)-address"] ?? gatewayValue { throw extra.invalid(expected: "no \(key)-address or \(key)-gateway unless \(key) = \"static\"") }
            return nil
        }
        let addressValue = try table.required("\(key)-address")
        let example = ipv4 ? "192.0.2.10/24" : "2001:db8::10/64"
        guard let prefix = IPPrefix(try addressValue.string()), prefix.address.isIPv4 == ipv4 else {
            throw addressValue.invalid(expected: "an \(name) address with its prefix length, such as \"\(example)\"")
        }
        guard let gatewayValue else { return (prefix, nil) }
        guard let gateway = IPAddress(try gatewayValue.string()), gateway.isIPv4 == ipv4 else { throw gatewayValue.invalid(expected: "an \(name) address") }
        guard gateway.sharesPrefix(prefix.length, with: prefix.address) || gateway.isLinkLocal, gateway != prefix.address else {
            throw gatewayValue.invalid(expected: "a gateway on \(prefix)'s network (or, for IPv6, link-local), other than the address itself")
        }
        return (prefix, gateway)
    }

    /// Each broker must be reachable on `network`: its address family configured, its name resolvable.
    static func checkBrokers(_ root: TOMLTable, against network: BootNetwork) throws(ConfigError) {
        let entries = try root.required("brokers").array()
        for entry in entries {
            let url = try entry.string()
            switch BootNetwork.brokerHost(url) {
            case .address(let address):
                guard network.reaches(address) else {
                    throw entry.invalid(expected: "a broker on the configured network ([network] has \(address.isIPv4 ? "ipv4" : "ipv6") = \"off\")")
                }
            case .name(let name):
                guard network.resolves(name) else {
                    throw entry.invalid(expected: "a broker address, or a name with a resolver: [network] dns, ipv4 = \"dhcp\", or hosts")
                }
            case nil:
                throw entry.invalid(expected: "a broker URL whose host is an IPv4 address, a [bracketed] IPv6 address or a DNS name")
            }
        }
    }
}
