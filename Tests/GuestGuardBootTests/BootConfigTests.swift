import GuestGuardConfig
import GuestGuardCore
import Testing

@Suite struct BootConfigTests {
    static let pin = String(repeating: "ab", count: 32)

    @Test func fullConfiguration() throws {
        let config = try BootConfig(parsing: """
            brokers = ["https://kbs.example:8443", "https://kbs2.example:8443"]
            resource = "default/disk/root"
            broker-pin = "spki-sha256:\(Self.pin.uppercased())"
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
        #expect(config.brokerPin == "spki-sha256:" + Self.pin)
        #expect(config.retries == RetryPolicy(attempts: 3, initialBackoffMilliseconds: 200, maximumBackoffMilliseconds: 800))
        #expect(config.simulator == "/etc/guestguard/simulator")
        #expect(config.tpmTCTI == "device:/dev/tpmrm0" && config.tpmPCR == 14)
    }

    @Test func minimalConfigurationTakesTheDefaults() throws {
        let config = try BootConfig(parsing: "brokers = [\"http://10.0.2.2:8080\"]\nresource = \"a/b/c\"\n" + BootConfigVolumesTests.volume, fileName: "g.toml")
        #expect(config.retries == .default && config.simulator == nil && config.name == nil && config.brokerPin == nil)
        #expect(config.tpmTCTI == nil && config.tpmPCR == 15)
    }

    @Test(arguments: [
        // (text, line, expected words in the message)
        ("brokers = [\"http://a\"]\nresource = \"a/b/c\"\nbrokr-pin = \"x\"\n", 3, "brokr-pin"),
        ("brokers = [\"https://a\"]\nresource = \"a/b/c\"\n", 1, "broker-pin or broker-ca"),
        ("brokers = [\"ftp://a\"]\nresource = \"a/b/c\"\n", 1, "http(s) URL"),
        ("brokers = []\nresource = \"a/b/c\"\n", 1, "1…8 broker URLs"),
        ("brokers = [\"http://a\"]\nresource = \"a/b\"\n", 2, "REPO/TYPE/TAG"),
        ("brokers = [\"http://a\"]\nresource = \"a/b/c\"\nbroker-pin = \"spki-sha256:12\"\n", 3, "64 hex"),
        ("brokers = [\"http://a\"]\nresource = \"a/b/c\"\nbroker-ca = \"ca.pem\"\n", 3, "absolute path"),
        ("brokers = [\"http://a\"]\nresource = \"a/b/c\"\nname = \"../root\"\n", 3, "device-mapper name"),
        ("brokers = [\"http://a\"]\nresource = \"a/b/c\"\n[retries]\nattempts = 0\n", 4, "1...100"),
        ("brokers = [\"http://a\"]\nresource = \"a/b/c\"\n[retries]\ninitial-backoff-ms = 500\nmax-backoff-ms = 100\n", 5, "initial-backoff-ms"),
        ("brokers = [\"http://a\"]\nresource = \"a/b/c\"\n[test-only]\nsimulatr = \"/x\"\n", 4, "simulatr"),
        ("resource = \"a/b/c\"\n", 1, "brokers"),
        ("brokers = [\"http://a\"]\nresource = \"a/b/c\"\n[tpm]\ntcti = \"device:/dev/tpmrm0\"\npcr = 24\n", 5, "0...23"),
        ("brokers = [\"http://a\"]\nresource = \"a/b/c\"\n[tpm]\npcr = 15\n", 3, "tcti"),
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

    @Test func pinAndCAAreExclusive() {
        #expect(throws: ConfigError.self) {
            try BootConfig(parsing: "brokers = [\"https://a\"]\nresource = \"a/b/c\"\nbroker-pin = \"\(Self.pin)\"\nbroker-ca = \"/ca.pem\"\n", fileName: "g.toml")
        }
    }
}
