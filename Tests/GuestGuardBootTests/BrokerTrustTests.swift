import GuestGuardCore
import Testing

/// `BrokerTrust`, the one check of broker lists for the command line and the configuration (issue 12).
@Suite struct BrokerTrustTests {
    static let hex = String(repeating: "Ab", count: 32)

    @Test func pinsAreNormalisedWhicheverWayTheyAreWritten() throws {
        for (written, kept) in [(Self.hex, "spki-sha256:" + Self.hex.lowercased()), ("spki-sha256:" + Self.hex, "spki-sha256:" + Self.hex.lowercased()),
                                ("certificate-sha256:" + Self.hex, "certificate-sha256:" + Self.hex.lowercased())]
        {
            let trust = try BrokerTrust(brokers: ["https://a:1", "https://b:2"], pin: written, caFile: nil, allowPlainHTTP: false, source: "test")
            #expect(trust.authentication == .pin(kept) && trust.warning == nil)
        }
        #expect(BrokerTrust.normalizedPin("md5:" + Self.hex) == nil && BrokerTrust.normalizedPin(String(Self.hex.dropLast())) == nil)
    }

    @Test(arguments: [
        (["http://a"], nil, nil, false, BrokerTrustError.plainHTTP(index: 0, url: "http://a")),
        (["https://a", "http://b"], "pin", nil, false, .plainHTTP(index: 1, url: "http://b")),
        (["https://a", "http://b"], nil, nil, true, .mixedSchemes(index: 1)),
        (["http://a"], "pin", nil, true, .pinForPlainHTTP),
        (["https://a"], nil, nil, true, .httpsWithoutPin(url: "https://a")),
        (["https://a"], "pin", "/ca.pem", false, .pinAndCA),
        (["https://a"], nil, "ca.pem", false, .relativeCAPath("ca.pem")),
        (["https://"], "pin", nil, false, .notAURL(index: 0, url: "https://")),
        ([], "pin", nil, false, .brokerCount(0)),
    ] as [([String], String?, String?, Bool, BrokerTrustError)])
    func refused(brokers: [String], pin: String?, ca: String?, allowPlainHTTP: Bool, expected: BrokerTrustError) {
        let pin = pin.map { _ in Self.hex }
        #expect(throws: expected) { try BrokerTrust(brokers: brokers, pin: pin, caFile: ca, allowPlainHTTP: allowPlainHTTP, source: "test") }
    }

    @Test func theTokensBrokersAreOnlyNamed() throws {
        let trust = try BrokerTrust(brokers: ["https://kbs:8443"], pin: nil, caFile: "/ca.pem", allowPlainHTTP: false, source: "guestguard.toml")
        #expect(trust.ignoredTokenBrokers([]) == nil && trust.ignoredTokenBrokers(["https://kbs:8443"]) == nil)
        let note = try #require(trust.ignoredTokenBrokers(["https://kbs:8443", "https://rogue:1"]))
        #expect(note.hasPrefix("the LUKS2 token names broker https://rogue:1: not trusted") && note.hasSuffix("brokers come from guestguard.toml"))
    }
}
