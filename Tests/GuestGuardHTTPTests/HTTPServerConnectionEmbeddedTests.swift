@testable import GuestGuardHTTP
import NIOCore
import NIOEmbedded
import Testing

/// The server's connection pipeline (head limiter → NIO's HTTP/1 codec → `HTTPServerConnectionHandler`)
/// on an `EmbeddedChannel`: no socket, no clock but the embedded loop's, so limits, keep-alive and
/// close transitions, pipelining and every deadline are checked exactly. The loopback tests
/// (HTTPServerLimitTests, HTTPServerRoutingTests) then only prove the wiring.
@Suite struct HTTPServerConnectionEmbeddedTests {
    /// One server connection from 127.0.0.1:40000, answering with immediate routes (an
    /// `EmbeddedEventLoop` is single-threaded: no handler tasks).
    struct Connection {
        let channel = EmbeddedChannel()
        let limits: HTTPServerLimits

        init(limits: HTTPServerLimits = TestServer.testLimits) throws {
            self.limits = limits
            var router = HTTPRouter()
            router.addImmediate(.get, "/hello") { _ in .text(.ok, "hello") }
            router.addImmediate(.post, "/echo") { request in HTTPResponse(status: .ok, contentType: "application/octet-stream", body: request.body) }
            router.addImmediate(.get, "/n/*") { request in .text(.ok, request.path) }
            try HTTPServer.configurePipeline(channel, limits: limits, router: router, tls: nil, logger: TestServer.logger)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        }

        func send(_ text: String) throws { try channel.writeInbound(channel.allocator.buffer(string: text)) }

        /// Everything written to the client so far.
        func received() throws -> String {
            var text = ""
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            return text
        }

        var isOpen: Bool { channel.isActive }

        func advance(_ duration: Duration) { channel.embeddedEventLoop.advanceTime(by: TimeAmount(duration)) }

        var handler: HTTPServerConnectionHandler { get throws { try channel.pipeline.syncOperations.handler(type: HTTPServerConnectionHandler.self) } }
    }

    /// The status codes of every response in `text`, in order (bodies here never hold "HTTP/1.").
    static func statusCodes(_ text: String) -> [Int] {
        text.components(separatedBy: "HTTP/1.").dropFirst().compactMap { Int($0.dropFirst(2).prefix(3)) }
    }

    // MARK: Limits

    @Test func tooManyHeaderFieldsIs431AndTheConnectionCloses() throws {
        let connection = try Connection()
        let headers = (0...connection.limits.maxHeaderCount).map { "X-H\($0): v\r\n" }.joined()
        try connection.send("GET /hello HTTP/1.1\r\nHost: a\r\n\(headers)\r\n")
        let response = try connection.received()
        #expect(Self.statusCodes(response) == [431], "\(response)")
        #expect(response.lowercased().contains("connection: close"))
        #expect(!connection.isOpen)
    }

    @Test func aHeadOverTheByteLimitIs431BeforeItsBlankLine() throws {
        let connection = try Connection()
        try connection.send("GET /hello HTTP/1.1\r\nX-Long: " + String(repeating: "a", count: connection.limits.maxHeadBytes))
        #expect(Self.statusCodes(try connection.received()) == [431])
        #expect(!connection.isOpen)
    }

    @Test func aHeadExactlyAtTheByteLimitIsServed() throws {
        let connection = try Connection()
        let start = "GET /hello HTTP/1.1\r\nX-Pad: "
        let pad = String(repeating: "p", count: connection.limits.maxHeadBytes - start.utf8.count - 4)
        try connection.send(start + pad + "\r\n\r\n")
        #expect(Self.statusCodes(try connection.received()) == [200])
        #expect(connection.isOpen)
    }

    @Test func aDeclaredBodyOverTheLimitIs413BeforeAnyBodyByte() throws {
        let connection = try Connection()
        try connection.send("POST /echo HTTP/1.1\r\nContent-Length: \(connection.limits.maxBodyBytes + 1)\r\n\r\n")
        let response = try connection.received()
        #expect(Self.statusCodes(response) == [413], "\(response)")
        #expect(!connection.isOpen)
    }

    @Test func aChunkedBodyIs413AsSoonAsItPassesTheLimit() throws {
        let connection = try Connection()
        try connection.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = String(repeating: "c", count: 16 * 1024)
        var sent = 0
        while connection.isOpen, sent <= connection.limits.maxBodyBytes {
            try connection.send(String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n")
            sent += chunk.utf8.count
        }
        let response = try connection.received()
        #expect(Self.statusCodes(response) == [413], "\(response)")
        #expect(sent == connection.limits.maxBodyBytes + chunk.utf8.count, "refused with the first chunk past the limit")
        #expect(!connection.isOpen)
    }

    @Test(arguments: ["GET /hello HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "GET /hello HTTP/1.1\r\nContent-Length: x\r\n\r\n",
                      "GET /n/x?a=%zz HTTP/1.1\r\n\r\n", "BREW\u{1} / HTTP/1.1\r\n\r\n"])
    func aMalformedRequestIs400AndCloses(_ request: String) throws {
        let connection = try Connection()
        try? connection.send(request)
        let response = try connection.received()
        #expect(Self.statusCodes(response) == [400], "\(response)")
        #expect(!connection.isOpen)
    }

    // MARK: Keep-alive and close

    @Test func http11KeepsTheConnectionUntilTheClientAsksToClose() throws {
        let connection = try Connection()
        try connection.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
        let first = try connection.received()
        #expect(Self.statusCodes(first) == [200])
        #expect(!first.lowercased().contains("connection:"))
        #expect(connection.isOpen)
        guard case .idle = try connection.handler.state else { Issue.record("not idle after a kept-alive response"); return }

        try connection.send("GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        let second = try connection.received()
        #expect(Self.statusCodes(second) == [200])
        #expect(second.lowercased().contains("connection: close"))
        #expect(!connection.isOpen)
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() throws {
        let plain = try Connection()
        try plain.send("GET /hello HTTP/1.0\r\n\r\n")
        #expect(try plain.received().lowercased().contains("connection: close"))
        #expect(!plain.isOpen)

        let kept = try Connection()
        try kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.received().lowercased().contains("connection: keep-alive"))
        #expect(kept.isOpen)
    }

    @Test func expectContinueGets100BeforeTheBody() throws {
        let connection = try Connection()
        try connection.send("POST /echo HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        #expect(Self.statusCodes(try connection.received()) == [100])
        try connection.send("ping")
        let response = try connection.received()
        #expect(Self.statusCodes(response) == [200])
        #expect(response.hasSuffix("\r\n\r\nping"))
    }

    @Test func quiescingDuringARequestAnswersItWithCloseAndIdleConnectionsCloseAtOnce() throws {
        let busy = try Connection()
        try busy.send("POST /echo HTTP/1.1\r\nContent-Length: 4\r\n\r\nab")
        busy.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(busy.isOpen, "the request in progress is finished first")
        try busy.send("cd")
        let response = try busy.received()
        #expect(response.lowercased().contains("connection: close") && response.hasSuffix("abcd"))
        #expect(!busy.isOpen)

        let idle = try Connection()
        idle.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(!idle.isOpen)
        #expect(try idle.received().isEmpty)
    }

    // MARK: Pipelining

    @Test func pipelinedRequestsInOneSegmentAreAnsweredInOrder() throws {
        let connection = try Connection()
        try connection.send((1...3).map { "GET /n/\($0) HTTP/1.1\r\nHost: a\r\n\r\n" }.joined() + "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nend")
        let response = try connection.received()
        #expect(Self.statusCodes(response) == [200, 200, 200, 200], "\(response)")
        let bodies = response.components(separatedBy: "\r\n\r\n").dropFirst().map { $0.prefix { $0 != "H" } }
        #expect(bodies == ["/n/1", "/n/2", "/n/3", "end"], "\(response)")
        #expect(connection.isOpen)
    }

    @Test func aBrokenRequestBehindAGoodOneIsRefusedAfterTheGoodOneIsAnswered() throws {
        let connection = try Connection()
        try? connection.send("GET /n/ok HTTP/1.1\r\nHost: a\r\n\r\nGET /n/x?a=%zz HTTP/1.1\r\n\r\n")
        let response = try connection.received()
        #expect(Self.statusCodes(response) == [200, 400], "\(response)")
        #expect(!connection.isOpen)
    }

    // MARK: Deadlines

    @Test func anIdleConnectionClosesQuietlyAtItsDeadline() throws {
        let connection = try Connection()
        connection.advance(connection.limits.idleTimeout - .milliseconds(1))
        #expect(connection.isOpen)
        connection.advance(.milliseconds(1))
        #expect(!connection.isOpen)
        #expect(try connection.received().isEmpty)
    }

    @Test func aKeptAliveConnectionGetsAFreshIdleDeadline() throws {
        let connection = try Connection()
        connection.advance(connection.limits.idleTimeout - .milliseconds(10))
        try connection.send("GET /hello HTTP/1.1\r\n\r\n")
        _ = try connection.received()
        connection.advance(connection.limits.idleTimeout - .milliseconds(1))
        #expect(connection.isOpen)
        connection.advance(.milliseconds(1))
        #expect(!connection.isOpen)
    }

    @Test func aHeadThatDoesNotFinishInTimeIs408() throws {
        let connection = try Connection()
        try connection.send("GET /hello HTTP/1.1\r\nX-Slow: ")
        connection.advance(connection.limits.headTimeout - .milliseconds(1))
        #expect(try connection.received().isEmpty)
        connection.advance(.milliseconds(1))
        #expect(Self.statusCodes(try connection.received()) == [408])
        #expect(!connection.isOpen)
    }

    @Test func aBodyThatDoesNotFinishInTimeIs408() throws {
        let connection = try Connection()
        try connection.send("POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")
        connection.advance(connection.limits.bodyTimeout - .milliseconds(1))
        try connection.send("def")  // body bytes do not extend the deadline: a slow body is a slow body
        #expect(try connection.received().isEmpty)
        connection.advance(.milliseconds(1))
        #expect(Self.statusCodes(try connection.received()) == [408])
        #expect(!connection.isOpen)
    }
}
