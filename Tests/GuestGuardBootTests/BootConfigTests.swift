import GuestGuardConfig
import GuestGuardCore
import GuestGuardPlatform
import Testing

@Suite struct BootConfigTests {
    static let hexPin = String(repeating: "ab", count: 32)

    @Test func fullConfiguration() throws {
        let config = try BootConfig(parsing: """
            brokers = ["https://kbs.example:8443", "https://kbs2.example:8443"]
            resource = "default/disk/root"
            broker-pin = "spki-sha256:\(Self.hexPin.uppercased())"
            name = "root"

            [retries]
            attempts = 3
            initial-backoff-ms = 200
            max-backoff-ms = 800

            [tpm]
            tcti = "device:/dev/tpmrm0"
            pcr = 14

            [test-only]
            simulator = "/etc/guestguard/simulator"

            [[volume]]
            uuid = "0b9f1c3e-5d2a-4c1b-9e8f-7a6b5c4d3e2f"
            """, fileName: "guestguard.toml")
        #expect(config.brokers == ["https://kbs.example:8443", "https://kbs2.example:8443"])
        #expect(config.resource == "default/disk/root" && config.name == "root" && config.brokerCA == nil)
        #expect(config.brokerPin == "spki-sha256:" + Self.hexPin)
        #expect(config.retries == RetryPolicy(attempts: 3, initialDelay: .milliseconds(200), maximumDelay: .milliseconds(800)))
        #expect(config.simulator == "/etc/guestguard/simulator")
        #expect(config.tpmTCTI == "device:/dev/tpmrm0" && config.tpmPCR == 14)
    }

    @Test func minimalConfigurationTakesTheDefaults() throws {
        let config = try BootConfig(parsing: "brokers = [\"https://10.0.2.2:8080\"]\nresource = \"a/b/c\"\nbroker-ca = \"/ca.pem\"\n" + BootConfigVolumesTests.volume,
                                    fileName: "g.toml")
        #expect(config.retries == .bootUnlock && config.simulator == nil && config.name == nil && config.brokerPin == nil)
        #expect(config.brokerTrust.authentication == .caFile("/ca.pem") && config.brokerTrust.warning == nil)
        #expect(config.tpmTCTI == nil && config.tpmPCR == 15)
    }

    static let pin = "spki-sha256:" + String(repeating: "ab", count: 32)
    @Test(arguments: [
        // (text, line, expected words in the message)
        ("brokers = [\"https://a\"]\nresource = \"a/b/c\"\nbrokr-pin = \"x\"\n", 3, "brokr-pin"),
        ("brokers = [\"https://a\"]\nresource = \"a/b/c\"\n", 1, "broker pin or CA"),
        ("brokers = [\"ftp://a\"]\nresource = \"a/b/c\"\n", 1, "an https URL"),
        ("brokers = []\nresource = \"a/b/c\"\n", 1, "1…8 broker URLs"),
        ("brokers = [\"https://a\"]\nbroker-ca = \"/ca.pem\"\nresource = \"a/b\"\n", 3, "REPO/TYPE/TAG"),
        ("brokers = [\"https://a\"]\nresource = \"a/b/c\"\nbroker-pin = \"spki-sha256:12\"\n", 3, "64 hex"),
        ("brokers = [\"https://a\"]\nresource = \"a/b/c\"\nbroker-ca = \"ca.pem\"\n", 3, "absolute path"),
        ("brokers = [\"https://a\"]\nbroker-ca = \"/ca.pem\"\nresource = \"a/b/c\"\nname = \"../root\"\n", 4, "device-mapper name"),
        ("brokers = [\"https://a\"]\nbroker-ca = \"/ca.pem\"\nresource = \"a/b/c\"\n[retries]\nattempts = 0\n", 5, "1...100"),
        ("brokers = [\"https://a\"]\nbroker-ca = \"/ca.pem\"\nresource = \"a/b/c\"\n[retries]\ninitial-backoff-ms = 500\nmax-backoff-ms = 100\n", 6, "initial-backoff-ms"),
        ("brokers = [\"https://a\"]\nbroker-ca = \"/ca.pem\"\nresource = \"a/b/c\"\n[test-only]\nsimulatr = \"/x\"\n", 5, "simulatr"),
        ("resource = \"a/b/c\"\n", 1, "brokers"),
        // Issue 12: plain http only behind the test-only switch; one list, one trust.
        ("resource = \"a/b/c\"\nbrokers = [\"http://10.0.2.2:8080\"]\n", 2, "plain http"),
        ("resource = \"a/b/c\"\nbroker-pin = \"\(BootConfigTests.pin)\"\nbrokers = [\n  \"https://kbs\",\n  \"http://fallback\",\n]\n", 5, "plain http"),
        ("resource = \"a/b/c\"\nbrokers = [\n  \"https://kbs\",\n  \"http://fallback\",\n]\n[test-only]\nallow-plain-http = true\n", 4, "same scheme"),
        ("resource = \"a/b/c\"\nbrokers = [\"http://a\"]\nbroker-pin = \"\(BootConfigTests.pin)\"\n[test-only]\nallow-plain-http = true\n", 3, "authenticates nothing"),
        ("resource = \"a/b/c\"\nbrokers = [\"http://a\"]\n[test-only]\nallow-plain-http = \"yes\"\n", 4, "allow-plain-http"),
        ("resource = \"a/b/c\"\nbrokers = [\"https://a\"]\nbroker-pin = \"\(BootConfigTests.pin)\"\nbroker-ca = \"/ca.pem\"\n", 4, "not both"),
        ("brokers = [\"https://a\"]\nbroker-ca = \"/ca.pem\"\nresource = \"a/b/c\"\n[tpm]\ntcti = \"device:/dev/tpmrm0\"\npcr = 24\n", 6, "0...23"),
        ("brokers = [\"https://a\"]\nbroker-ca = \"/ca.pem\"\nresource = \"a/b/c\"\n[tpm]\npcr = 15\n", 4, "tcti"),
        // Issue 13: the host's simulator over a port, or the in-image one, never both.
        ("brokers = [\"https://a\"]\nbroker-ca = \"/ca.pem\"\nresource = \"a/b/c\"\n[test-only]\nsimulator = \"/s\"\nsimulator-port = \"/dev/vport1p1\"\n", 6, "not both"),
        ("brokers = [\"https://a\"]\nbroker-ca = \"/ca.pem\"\nresource = \"a/b/c\"\n[test-only]\nsimulator-port = \"vport1p1\"\n", 5, "absolute path"),
    ])
    func refusedWithFileAndLine(text: String, line: Int, words: String) {
        do {
            _ = try BootConfig(parsing: text, fileName: "guestguard.toml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.location.line == line, "\(error)")
            #expect(error.description.hasPrefix("guestguard.toml:\(line):"), "\(error)")
            #expect(error.description.contains(words), "\(error)")
        }
    }

    /// Only the explicit test-only switch admits plain http, and the configuration says so.
    @Test func plainHTTPBehindTheTestOnlySwitchCarriesAWarning() throws {
        let config = try BootConfig(parsing: "brokers = [\"http://10.0.2.2:8080\", \"http://10.0.2.2:8081\"]\nresource = \"a/b/c\"\n[test-only]\nallow-plain-http = true\n"
                                    + BootConfigVolumesTests.volume,
                                    fileName: "g.toml")
        #expect(config.brokerTrust.authentication == .plainHTTPTestOnly)
        let warning = try #require(config.brokerTrust.warning)
        #expect(warning.hasPrefix("TEST ONLY: plain http to http://10.0.2.2:8080, http://10.0.2.2:8081 (g.toml)"), "\(warning)")
        #expect(config.brokerPin == nil && config.brokerCA == nil)
    }

    @Test func theHostsSimulatorPort() throws {
        let config = try BootConfig(parsing: "brokers = [\"https://a\"]\nbroker-ca = \"/ca.pem\"\nresource = \"a/b/c\"\n[test-only]\n"
                                    + "simulator-port = \"/dev/virtio-ports/org.guestguard.snp-sim\"\n" + BootConfigVolumesTests.volume, fileName: "g.toml")
        #expect(config.simulatorPort == "/dev/virtio-ports/org.guestguard.snp-sim" && config.simulator == nil)
    }

    @Test func pinAndCAAreExclusive() {
        #expect(throws: ConfigError.self) {
            try BootConfig(parsing: "brokers = [\"https://a\"]\nresource = \"a/b/c\"\nbroker-pin = \"\(Self.hexPin)\"\nbroker-ca = \"/ca.pem\"\n", fileName: "g.toml")
        }
    }
}
