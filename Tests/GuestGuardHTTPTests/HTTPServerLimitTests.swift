import GuestGuardHTTP
import Testing

/// Every limit answers with its 4xx (where one can be sent), closes that connection, and leaves
/// the server serving: each test ends with a normal request on a fresh connection.
/// `TestServer.testLimits`: head 4096 bytes, 20 headers, body 64 KiB, 1 s idle/head/body deadlines.
@Suite struct HTTPServerLimitTests {
    @Test func oversizedHeadIs431() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            let filler = String(repeating: "a", count: 5000)
            try await connection.send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Filler: \(filler)\r\n\r\n")
            #expect(try await connection.readResponse().status == 431)
            #expect(try await connection.waitForClose())
            try await expectServing(port: port)
        }
    }

    @Test func oversizedHeadIsCutOffBeforeItEnds() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            // 8 KiB of one header line with no end: the limiter answers without waiting for it.
            try await connection.send("GET /hello HTTP/1.1\r\nX-Filler: " + String(repeating: "b", count: 8192))
            #expect(try await connection.readResponse().status == 431)
            #expect(try await connection.waitForClose())
            try await expectServing(port: port)
        }
    }

    @Test func headJustUnderTheLimitIsServed() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            let prefix = "GET /hello HTTP/1.1\r\nHost: t\r\nX-Filler: "
            let filler = String(repeating: "c", count: 4096 - prefix.utf8.count - 4)
            try await connection.send(prefix + filler + "\r\n\r\n")
            #expect(try await connection.readResponse().status == 200)
        }
    }

    @Test func tooManyHeadersIs431() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            let headers = (0..<25).map { "X-H\($0): v\r\n" }.joined()
            try await connection.send("GET /hello HTTP/1.1\r\nHost: t\r\n\(headers)\r\n")
            #expect(try await connection.readResponse().status == 431)
            #expect(try await connection.waitForClose())
            try await expectServing(port: port)
        }
    }

    @Test func contentLengthOverTheLimitIs413AtOnce() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            // The body never comes: the answer must not wait for it.
            try await connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 70000\r\n\r\n")
            #expect(try await connection.readResponse().status == 413)
            #expect(try await connection.waitForClose())
            try await expectServing(port: port)
        }
    }

    @Test func chunkedBodyOverTheLimitIs413WhileStreaming() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = "4000\r\n" + String(repeating: "d", count: 0x4000) + "\r\n"
            var answered: RawTestConnection.Response?
            for _ in 0..<8 where answered == nil {  // 8 × 16 KiB = 128 KiB, twice the limit
                try? await connection.send(chunk)
                answered = try? await connection.readResponse(timeout: .milliseconds(200))
            }
            #expect(answered?.status == 413)
            #expect(try await connection.waitForClose())
            try await expectServing(port: port)
        }
    }

    @Test func chunkedBodyUnderTheLimitIsServed() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.text == "abcdefg")
            #expect(response.header("x-body-count") == "7")
        }
    }

    @Test func slowLorisHeadIs408() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("GET /hello HTTP/1.1\r\n")
            // One header byte every 100 ms: always active, never finished.
            let trickle = Task {
                for _ in 0..<100 where !connection.isClosed {
                    try? await connection.send("X")
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            let response = try await connection.readResponse(timeout: .seconds(5))
            trickle.cancel()
            #expect(response.status == 408)
            #expect(try await connection.waitForClose())
            try await expectServing(port: port)
        }
    }

    @Test func slowBodyIs408() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n")
            let trickle = Task {
                for _ in 0..<100 where !connection.isClosed {
                    try? await connection.send("y")
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            let response = try await connection.readResponse(timeout: .seconds(5))
            trickle.cancel()
            #expect(response.status == 408)
            #expect(try await connection.waitForClose())
            try await expectServing(port: port)
        }
    }

    @Test func idleConnectionIsClosed() async throws {
        try await TestServer.with { _, port in
            let silent = try await RawTestConnection.connect(port: port)
            #expect(try await silent.waitForClose(timeout: .seconds(5)))
            // A kept-alive connection that goes quiet is closed the same way.
            let keptAlive = try await RawTestConnection.connect(port: port)
            try await keptAlive.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await keptAlive.readResponse().status == 200)
            #expect(try await keptAlive.waitForClose(timeout: .seconds(5)))
            try await expectServing(port: port)
        }
    }

    @Test(arguments: [
        "GARBAGE\r\n\r\n",
        "GET\r\n\r\n",
        "GET /hello HTTP/9.9\r\nHost: t\r\n\r\n",
        "GET /hello HTTP/1.1\r\nBad Header Name: x\r\n\r\n",
        "GET http://example.com/hello HTTP/1.1\r\nHost: t\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "BREW /hello HTTP/1.1\r\nHost: t\r\n\r\n",
    ])
    func malformedRequestIs400(request: String) async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send(request)
            #expect(try await connection.readResponse().status == 400)
            #expect(try await connection.waitForClose())
            try await expectServing(port: port)
        }
    }

    @Test func connectionsBeyondTheLimitAreClosed() async throws {
        var limits = TestServer.testLimits
        limits.maxConnections = 2
        limits.idleTimeout = .seconds(30)
        try await TestServer.with(limits: limits) { server, port in
            let first = try await RawTestConnection.connect(port: port)
            let second = try await RawTestConnection.connect(port: port)
            try await first.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await first.readResponse()
            try await second.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await second.readResponse()
            let third = try await RawTestConnection.connect(port: port)
            #expect(try await third.waitForClose())
            #expect(server.openConnectionCount == 2)
            await first.close()
            for _ in 0..<200 where server.openConnectionCount > 1 { try await Task.sleep(for: .milliseconds(10)) }
            try await expectServing(port: port)
        }
    }
}
