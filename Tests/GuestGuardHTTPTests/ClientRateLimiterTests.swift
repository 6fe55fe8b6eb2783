import GuestGuardHTTP
import Testing

@Suite struct ClientRateLimiterTests {
    @Test func eachClientHasItsOwnBucket() {
        let limiter = ClientRateLimiter(.init(burst: 2, perSecond: 1))
        #expect(limiter.take("192.0.2.1", at: .seconds(5)) == .allowed)
        #expect(limiter.take("192.0.2.1", at: .seconds(5)) == .allowed)
        #expect(limiter.take("192.0.2.1", at: .seconds(5)) == .limited(retryAfterSeconds: 1))
        #expect(limiter.take("192.0.2.2", at: .seconds(5)) == .allowed)
        #expect(limiter.take("192.0.2.1", at: .seconds(6)) == .allowed)
    }

    @Test func memoryIsBoundedAndARecentClientKeepsItsState() {
        let limiter = ClientRateLimiter(.init(burst: 1, perSecond: 0.001, maxClients: 100))
        #expect(limiter.take("victim-flooder", at: .seconds(0)) == .allowed)
        for index in 0..<10_000 {
            _ = limiter.take("client-\(index)", at: .seconds(0))
            if index % 40 == 0 { #expect(limiter.take("victim-flooder", at: .seconds(0)) != .allowed) }  // touched: remembered, still empty
        }
        #expect(limiter.count <= 100)
    }

    @Test func clientsAreAddressesIPv6SlashSixtyFourAndMappedIPv4() {
        func key(_ address: String) -> String { HTTPRemoteAddress.ip(address: address, port: 4242).rateLimitKey }
        #expect(key("127.0.0.2") == "127.0.0.2")
        #expect(key("2001:db8:1:2::1") == "2001:db8:1:2::/64")
        #expect(key("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64", "one host holds a whole /64")
        #expect(key("2001:0db8:0001:0002:0:0:0:9") == "2001:db8:1:2::/64")
        #expect(key("2001:db8:1:3::1") == "2001:db8:1:3::/64")
        #expect(key("::1") == "0:0:0:0::/64")
        #expect(key("fe80::1%eth0") == "fe80:0:0:0::/64")
        #expect(key("::ffff:192.0.2.7") == "192.0.2.7", "an IPv4-mapped address is the IPv4 client")
        #expect(key("not:an:address::x") == "not:an:address::x", "unparsable text is its own key")
        #expect(HTTPRemoteAddress.unixSocket.rateLimitKey == "unix")
    }
}
