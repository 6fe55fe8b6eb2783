import GuestGuardHTTP
import Testing

@Suite struct HTTPURLTests {
    @Test(arguments: [
        ("http://example.com", HTTPURL.Scheme.http, "example.com", 80, "/", "example.com"),
        ("https://KBS.Example.com:8443/kbs/v0/auth", .https, "kbs.example.com", 8443, "/kbs/v0/auth", "kbs.example.com:8443"),
        ("http://10.0.2.2:8080/kbs/v0/resource/a/b/c?x=1#frag", .http, "10.0.2.2", 8080, "/kbs/v0/resource/a/b/c?x=1", "10.0.2.2:8080"),
        ("https://[::1]:9443/x", .https, "::1", 9443, "/x", "[::1]:9443"),
        ("https://[FE80::1]/", .https, "fe80::1", 443, "/", "[fe80::1]"),
        ("http://host?q=1", .http, "host", 80, "/?q=1", "host"),
    ])
    func parses(text: String, scheme: HTTPURL.Scheme, host: String, port: Int, target: String, authority: String) throws {
        let url = try HTTPURL(text)
        #expect(url.scheme == scheme)
        #expect(url.host == host)
        #expect(url.port == port)
        #expect(url.target == target)
        #expect(url.authority == authority)
    }

    @Test(arguments: [
        ("ftp://example.com/", "scheme must be http or https"),
        ("example.com/path", "no scheme"),
        ("http://user:pw@example.com/", "user info is not allowed"),
        ("http://example.com:0/", "bad port 0"),
        ("http://example.com:65536/", "bad port 65536"),
        ("http://example.com:/", "bad port "),
        ("http://[::1/", "unterminated [IPv6] host"),
        ("http://[::1]x/", "junk after ]"),
        ("http:///path", "empty host"),
        ("http://exa_mple.com/", "bad host name exa_mple.com"),
        ("http://example.com/a b", "contains spaces, control or non-ASCII characters"),
    ])
    func rejects(text: String, reason: String) {
        #expect(throws: HTTPClientError.invalidURL(text, reason: reason)) { try HTTPURL(text) }
    }

    @Test func replacingTargetKeepsTheOrigin() throws {
        let base = try HTTPURL("https://[::1]:8443/ignored?x")
        #expect(try base.replacingTarget("/kbs/v0/attest").description == "https://[::1]:8443/kbs/v0/attest")
    }
}
