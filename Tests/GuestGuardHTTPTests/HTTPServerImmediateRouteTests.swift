import GuestGuardHTTP
import Testing

/// Routes whose handler answers on the event loop (`addImmediate`), mixed with async ones.
@Suite struct HTTPServerImmediateRouteTests {
    static func router() -> HTTPRouter {
        TestServer.router { router in
            router.addImmediate(.get, "/now") { request in .text(.ok, "now \(request.queryValue("n") ?? "-")") }
            router.addImmediate(.head, "/now") { _ in .text(.ok, "now -") }
        }
    }

    @Test func immediateRoutesAnswerLikeAsyncOnes() async throws {
        try await TestServer.with(router: Self.router()) { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("GET /now?n=1 HTTP/1.1\r\nHost: t\r\n\r\n")
            let first = try await connection.readResponse()
            #expect(first.status == 200)
            #expect(first.text == "now 1")
            try await connection.send("HEAD /now HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await connection.readResponse(bodyless: true)
            #expect(head.status == 200)
            #expect(head.header("content-length") == "5")
            try await connection.send("POST /now HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
            let refused = try await connection.readResponse()
            #expect(refused.status == 405)
            #expect(refused.header("allow") == "GET, HEAD")
            await connection.close()
        }
    }

    @Test func pipelinedImmediateAndAsyncRequestsKeepTheirOrder() async throws {
        try await TestServer.with(router: Self.router()) { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            try await connection.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\nGET /now?n=2 HTTP/1.1\r\nHost: t\r\n\r\nGET /nothing HTTP/1.1\r\nHost: t\r\n\r\nGET /now?n=3 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await connection.readResponse().text == "hello")
            #expect(try await connection.readResponse().text == "now 2")
            #expect(try await connection.readResponse().status == 404)
            #expect(try await connection.readResponse().text == "now 3")
            await connection.close()
        }
    }
}
