import GuestGuardConfig
import GuestGuardCore
import Testing

/// The `[network]` table (BootConfig+Network.swift): the initramfs network from the measured configuration,
/// the plan the local-top script reads, and the brokers checked against it.
@Suite struct BootConfigNetworkTests {
    static let pin = "broker-pin = \"\(String(repeating: "ab", count: 32))\"\nresource = \"a/b/c\"\n"

    static func config(brokers: String = "\"https://kbs.example:8443\"", _ network: String) throws(ConfigError) -> BootConfig {
        try BootConfig(parsing: "brokers = [\(brokers)]\n" + pin + BootConfigVolumesTests.volume + network, fileName: "guestguard.toml")
    }

    @Test func withoutATableDHCPAndSLAACOnTheFirstDevice() throws {
        let network = try Self.config("").network
        #expect(network == BootNetwork())
        #expect(network.plan == "interface *\nipv4 dhcp\nipv6 slaac\nlink-timeout 30\n")
        #expect(network.connectTimeout == .seconds(10) && network.brokerDeadline == .seconds(60))
    }

    @Test func staticDualStackWithResolversHostsAndTimeouts() throws {
        let network = try Self.config("""

            [network]
            interface = "ens3"
            ipv4 = "static"
            ipv4-address = "192.0.2.10/24"
            ipv4-gateway = "192.0.2.1"
            ipv6 = "static"
            ipv6-address = "2001:db8::10/64"
            ipv6-gateway = "fe80::1"
            dns = ["192.0.2.53", "2001:db8::53"]
            hosts = { "kbs.example" = "2001:db8::7" }
            link-timeout-ms = 12500
            connect-timeout-ms = 2000
            broker-deadline-ms = 20000
            """).network
        #expect(network.plan == """
            interface ens3
            ipv4 static 192.0.2.10/24 192.0.2.1
            ipv6 static 2001:db8::10/64 fe80::1
            dns 192.0.2.53
            dns 2001:db8::53
            host kbs.example 2001:db8::7
            link-timeout 13

            """)
        #expect(network.connectTimeout == .seconds(2) && network.brokerDeadline == .seconds(20))
    }

    @Test func ipv6OnlyWithSLAACAndAResolver() throws {
        let network = try Self.config(brokers: "\"https://[fd00::2]:8443\", \"https://kbs.example\"", """

            [network]
            ipv4 = "off"
            dns = ["fd00::3"]
            """).network
        #expect(network.plan == "interface *\nipv4 off\nipv6 slaac\ndns fd00::3\nlink-timeout 30\n")
    }

    @Test(arguments: [
        // (the [network] table after the head (line 8 is "[network]"), line, expected words)
        ("interface = \"eth0; reboot\"", 9, "interface name"),
        ("interface = \"averyveryverylongname\"", 9, "interface name"),
        ("ipv4 = \"bootp\"", 9, "dhcp"),
        ("ipv4-address = \"192.0.2.10/24\"", 9, "unless ipv4 = \"static\""),
        ("ipv4 = \"static\"", 8, "network.ipv4-address\": required key is missing"),
        ("ipv4 = \"static\"\nipv4-address = \"192.0.2.10\"", 10, "prefix length"),
        ("ipv4 = \"static\"\nipv4-address = \"192.0.2.10/33\"", 10, "prefix length"),
        ("ipv4 = \"static\"\nipv4-address = \"192.0.02.10/24\"", 10, "IPv4 address"),
        ("ipv4 = \"static\"\nipv4-address = \"2001:db8::1/64\"", 10, "IPv4 address"),
        ("ipv4 = \"static\"\nipv4-address = \"192.0.2.10/24\"\nipv4-gateway = \"198.51.100.1\"", 11, "on 192.0.2.10/24's network"),
        ("ipv4 = \"static\"\nipv4-address = \"192.0.2.10/24\"\nipv4-gateway = \"192.0.2.10\"", 11, "other than the address itself"),
        ("ipv6 = \"static\"\nipv6-address = \"2001:db8::1::2/64\"", 10, "IPv6 address"),
        ("ipv6 = \"static\"\nipv6-address = \"2001:db8:0:0:0:0:0:0:1/64\"", 10, "IPv6 address"),
        ("ipv6 = \"static\"\nipv6-address = \"2001:db8::1/64\"\nipv6-gateway = \"2001:db9::1\"", 11, "link-local"),
        ("ipv6-gateway = \"fe80::1\"", 9, "unless ipv6 = \"static\""),
        ("ipv4 = \"off\"\nipv6 = \"off\"", 10, "not both off"),
        ("dns = []", 9, "1…3 resolver"),
        ("dns = [\"1.1.1.1\", \"8.8.8.8\", \"9.9.9.9\", \"1.0.0.1\"]", 9, "1…3 resolver"),
        ("dns = [\"resolver.example\"]", 9, "IPv4 or IPv6 address"),
        ("ipv6 = \"off\"\ndns = [\"2001:db8::53\"]", 10, "family that is not off"),
        ("hosts = { \"KBS.example\" = \"192.0.2.7\" }", 9, "lower-case host name"),
        ("hosts = { \"kbs.example\" = \"kbs2.example\" }", 9, "IPv4 or IPv6 address"),
        ("connect-timeout-ms = 10", 9, "100...300000"),
        ("connect-timeout-ms = 5000\nbroker-deadline-ms = 4000", 10, "at least connect-timeout-ms"),
        ("gateway = \"192.0.2.1\"", 9, "gateway"),
    ])
    func refusedWithFileAndLine(table: String, line: Int, words: String) {
        do {
            _ = try Self.config("\n[network]\n" + table + "\n")
            Issue.record("accepted: \(table)")
        } catch {
            #expect(error.location.line == line, "\(error)")
            #expect(error.description.hasPrefix("guestguard.toml:\(line):"), "\(error)")
            #expect(error.description.contains(words), "\(error)")
        }
    }

    /// A broker the network cannot reach is refused at its own entry (line 1, the brokers array).
    @Test(arguments: [
        ("\"https://kbs.example\"", "ipv4 = \"static\"\nipv4-address = \"192.0.2.10/24\"", "a name with a resolver"),
        ("\"https://192.0.2.7\"", "ipv4 = \"off\"", "ipv4 = \"off\""),
        ("\"https://[2001:db8::7]\"", "ipv6 = \"off\"", "ipv6 = \"off\""),
        ("\"https://kbs_example\"", "", "a DNS name"),
        ("\"https://[192.0.2.7]\"", "", "a DNS name"),
        ("\"https://10.0.2\"", "", "a DNS name"),
    ])
    func unreachableBrokersAreRefused(brokers: String, table: String, words: String) {
        do {
            _ = try Self.config(brokers: brokers, "\n[network]\n" + table + "\n")
            Issue.record("accepted: \(brokers) with \(table)")
        } catch {
            #expect(error.description.hasPrefix("guestguard.toml:1:"), "\(error)")
            #expect(error.description.contains(words), "\(error)")
        }
    }

    @Test func aNameWithoutDNSResolvesThroughHosts() throws {
        let network = try Self.config("""

            [network]
            ipv4 = "static"
            ipv4-address = "192.0.2.10/24"
            hosts = { "kbs.example" = "192.0.2.7" }
            """).network
        #expect(network.hosts == [BootNetwork.Host(name: "kbs.example", address: IPAddress("192.0.2.7")!)])
        #expect(network.dns.isEmpty)
    }

    @Test(arguments: [
        ("::", [UInt8](repeating: 0, count: 16)),
        ("::1", [UInt8](repeating: 0, count: 15) + [1]),
        ("2001:db8::7", [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [7]),
        ("fe80::", [0xfe, 0x80] + [UInt8](repeating: 0, count: 14)),
        ("::ffff:192.0.2.1", [UInt8](repeating: 0, count: 10) + [0xff, 0xff, 192, 0, 2, 1]),
        ("1:2:3:4:5:6:7:8", [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]),
        ("10.0.2.2", [10, 0, 2, 2]),
        ("0.0.0.0", [0, 0, 0, 0]),
    ])
    func addresses(text: String, bytes: [UInt8]) {
        #expect(IPAddress(text)?.bytes == bytes, "\(text)")
    }

    @Test(arguments: ["", "1", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.-4", "+1.2.3.4", ":", ":::", "1::2::3", "1:2:3:4:5:6:7",
                      "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "12345::", "g::", "::1.2.3", "1.2.3.4::", "fe80::1%eth0", "[::1]", "::+1"])
    func notAddresses(text: String) {
        #expect(IPAddress(text) == nil, "\(text)")
    }

    @Test func brokerHosts() {
        #expect(BootNetwork.brokerHost("https://KBS.Example:8443/x") == .name("kbs.example"))
        #expect(BootNetwork.brokerHost("https://[fd00::2]:8443") == .address(IPAddress("fd00::2")!))
        #expect(BootNetwork.brokerHost("https://10.0.2.2:8443") == .address(IPAddress("10.0.2.2")!))
        #expect(BootNetwork.brokerHost("https://-kbs.example") == nil)
        #expect(BootNetwork.brokerHost("https://kbs..example") == nil)
    }
}
