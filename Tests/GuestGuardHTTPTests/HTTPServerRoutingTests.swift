import GuestGuardHTTP
import Testing

/// Routing, request parsing and keep-alive over real loopback sockets.
@Suite struct HTTPServerRoutingTests {
    @Test func routesByMethodAndPath() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            let hello = try await connection.readResponse()
            #expect(hello.status == 200)
            #expect(hello.text == "hello")
            #expect(hello.header("content-type") == "text/plain; charset=utf-8")

            try await connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nCookie: kbs-session-id=abc\r\nContent-Length: 5\r\n\r\nabcde")
            let echo = try await connection.readResponse()
            #expect(echo.status == 200)
            #expect(echo.text == "abcde")
            #expect(echo.header("x-cookie") == "kbs-session-id=abc")
            #expect(echo.header("set-cookie") == "kbs-session-id=0123456789abcdef0123456789abcdef")
            await connection.close()
        }
    }

    @Test(arguments: [
        ("/kbs/v0/resource/default/key/root", 200, "/kbs/v0/resource/default/key/root"),
        ("/kbs/v0/resource/", 404, "not found\n"),
        ("/nothing-here", 404, "not found\n"),
        ("/hello/extra", 404, "not found\n"),
    ])
    func prefixAndExactPaths(path: String, status: Int, body: String) async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == status)
            #expect(response.text == body)
            // An unknown path is an ordinary answer: the connection stays usable.
            try await connection.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await connection.readResponse().status == 200)
        }
    }

    @Test func routedPathWithOtherMethodIs405WithAllow() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("POST /hello HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi")
            let response = try await connection.readResponse()
            #expect(response.status == 405)
            #expect(response.header("allow") == "GET")
            try await connection.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await connection.readResponse().text == "hello")
        }
    }

    @Test func unroutedMethodIs405() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("DELETE /nothing-here HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 405)
            #expect(response.header("allow") == "GET, POST")
        }
    }

    @Test func queryIsSplitAndPercentDecoded() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("GET /query?a=1&b=%41%2f&flag&=empty&c=x+y HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.text == "a=1;b=A/;flag=;=empty;c=x+y;")
        }
    }

    @Test func badPercentEncodingIs400AndServerStillServes() async throws {
        try await TestServer.with { _, port in
            let bad = try await RawTestConnection.connect(port: port)
            try await bad.send("GET /query?a=%zz HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await bad.readResponse().status == 400)
            #expect(try await bad.waitForClose())
            try await expectServing(port: port)
        }
    }

    @Test func remoteAddressIsThePeer() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("GET /peer HTTP/1.1\r\nHost: t\r\n\r\n")
            let text = try await connection.readResponse().text
            let localPort = try #require(connection.channel.localAddress?.port)
            #expect(text == "127.0.0.1:\(localPort)")
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\none"
                    + "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nthree")
            #expect(try await connection.readResponse().text == "one")
            #expect(try await connection.readResponse().text == "hello")
            #expect(try await connection.readResponse().text == "three")
        }
    }

    @Test func http10WithoutKeepAliveIsClosedAfterTheResponse() async throws {
        try await TestServer.with { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("GET /hello HTTP/1.0\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 200)
            #expect(response.header("connection") == "close")
            #expect(try await connection.waitForClose())
        }
    }

    @Test func headResponseHasNoBody() async throws {
        var router = TestServer.router()
        router.add(.head, "/hello") { _ in .text(.ok, "hello") }
        try await TestServer.with(router: router) { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await connection.readResponse(bodyless: true)
            #expect(head.status == 200)
            #expect(head.header("content-length") == "5")
            // No body bytes followed the HEAD response: the next bytes are the GET's response.
            let get = try await connection.readResponse()
            #expect(get.status == 200)
            #expect(get.text == "hello")
        }
    }
}

/// A fresh connection gets `GET /hello` answered: the server is still serving.
func expectServing(port: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let connection = try await RawTestConnection.connect(port: port)
    try await connection.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
    let response = try await connection.readResponse()
    #expect(response.status == 200, sourceLocation: sourceLocation)
    #expect(response.text == "hello", sourceLocation: sourceLocation)
    await connection.close()
}
