import GuestGuardHTTP
import Testing

@Suite struct HTTPServerAddressParsingTests {
    @Test(arguments: [
        ("127.0.0.1:8080", HTTPServerAddress.tcp(host: "127.0.0.1", port: 8080)),
        (":9000", .tcp(host: "0.0.0.0", port: 9000)),
        ("[::1]:0", .tcp(host: "::1", port: 0)),
        ("0.0.0.0:65535", .tcp(host: "0.0.0.0", port: 65535)),
    ])
    func acceptsListenAddresses(text: String, expected: HTTPServerAddress) {
        #expect(HTTPServerAddress(listening: text) == expected)
    }

    @Test(arguments: ["127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "::1:80", "[::1:80", "host:port"])
    func refusesMalformedAddresses(text: String) {
        #expect(HTTPServerAddress(listening: text) == nil)
    }
}
