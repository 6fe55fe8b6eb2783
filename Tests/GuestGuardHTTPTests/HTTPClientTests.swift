import Foundation
import GuestGuardHTTP
import Testing

/// The client against our own server and against scripted servers on loopback.
@Suite struct HTTPClientTests {
    static func client(_ configuration: HTTPClientConfiguration = HTTPClientConfiguration()) throws -> HTTPClient {
        try HTTPClient(configuration: configuration)
    }

    @Test func getAndPostAgainstOurServer() async throws {
        try await TestServer.with { _, port in
            let client = try Self.client()
            defer { client.shutdown() }
            let hello = try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("http://127.0.0.1:\(port)/hello")))
            #expect(hello.status == .ok)
            #expect(hello.body == Array("hello".utf8))

            let echo = try await client.execute(
                HTTPClientRequest(
                    method: .post, url: HTTPURL("http://127.0.0.1:\(port)/echo"),
                    headers: ["Content-Type": "application/json", "Cookie": "kbs-session-id=feedface"],
                    body: Array(#"{"version":"0.4.0"}"#.utf8)))
            #expect(echo.status.code == 200)
            #expect(echo.body == Array(#"{"version":"0.4.0"}"#.utf8))
            #expect(echo.headers["X-Cookie"] == "kbs-session-id=feedface")
            #expect(echo.headers["set-cookie"] == "kbs-session-id=0123456789abcdef0123456789abcdef")
        }
    }

    /// Issue 12: a client that authenticates servers (a pin) must never send to an http URL, where the
    /// pin would silently not apply; before the fix it connected in plain text.
    @Test func aClientWithAPinRefusesPlainHTTPWithoutConnecting() async throws {
        let server = try await ScriptedServer.start { _ in
            .bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8), close: false)
        }
        let pinned = try Self.client(HTTPClientConfiguration(tls: TLSClientConfiguration(verification: .pinnedLeaf([
            try TLSLeafPin(kind: .subjectPublicKeyInfo, hex: String(repeating: "ab", count: 32)),
        ]))))
        defer { pinned.shutdown() }
        do {
            _ = try await pinned.execute(HTTPClientRequest(method: .get, url: HTTPURL("http://127.0.0.1:\(server.port)/")))
            Issue.record("a pinned client sent a plain http request")
        } catch {
            guard case .invalidRequest(let reason) = error else { Issue.record("unexpected \(error)"); return }
            #expect(reason.contains("plain http") && reason.contains("no downgrade"), "\(reason)")
        }
        #expect(server.connectionCount == 0, "nothing may reach the server")
        await server.stop()
    }

    @Test func keepAliveReusesTheConnection() async throws {
        try await TestServer.with { _, port in
            let client = try Self.client()
            defer { client.shutdown() }
            let url = try HTTPURL("http://127.0.0.1:\(port)/peer")
            let first = try await client.execute(HTTPClientRequest(method: .get, url: url))
            let second = try await client.execute(HTTPClientRequest(method: .get, url: url))
            #expect(first.body == second.body)  // same client port: same connection

            let closing = try HTTPClient(configuration: HTTPClientConfiguration(keepAlive: false))
            let third = try await closing.execute(HTTPClientRequest(method: .get, url: url))
            let fourth = try await closing.execute(HTTPClientRequest(method: .get, url: url))
            #expect(third.body != fourth.body)
        }
    }

    @Test func keepAliveAgainstScriptedServerOpensOneConnection() async throws {
        let server = try await ScriptedServer.start { _ in
            .bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8), close: false)
        }
        let client = try Self.client()
        let url = try HTTPURL("http://127.0.0.1:\(server.port)/")
        for _ in 0..<3 { #expect(try await client.execute(HTTPClientRequest(method: .get, url: url)).body == Array("ok".utf8)) }
        #expect(server.requestCount == 3)
        #expect(server.connectionCount == 1)
        client.shutdown()
        await server.stop()
    }

    @Test func keptAliveConnectionDroppedByTheServerIsRetriedOnce() async throws {
        let server = try await ScriptedServer.start { index in
            index == 1 ? .hangUp : .bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8), close: false)
        }
        let client = try Self.client()
        let url = try HTTPURL("http://127.0.0.1:\(server.port)/")
        #expect(try await client.execute(HTTPClientRequest(method: .get, url: url)).body == Array("ok".utf8))
        #expect(try await client.execute(HTTPClientRequest(method: .post, url: url)).body == Array("ok".utf8))
        #expect(server.requestCount == 3)
        #expect(server.connectionCount == 2)
        client.shutdown()
        await server.stop()
    }

    @Test func freshConnectionClosedBeforeAnswerIsNotRetried() async throws {
        let server = try await ScriptedServer.start { _ in .hangUp }
        let client = try Self.client()
        await #expect(throws: HTTPClientError.connectionClosed(host: "127.0.0.1", port: server.port)) {
            try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("http://127.0.0.1:\(server.port)/")))
        }
        #expect(server.requestCount == 1)
        await server.stop()
    }

    @Test func chunkedResponseIsAssembled() async throws {
        let server = try await ScriptedServer.start { _ in
            .bytes(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n".utf8), close: false)
        }
        let client = try Self.client()
        let response = try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("http://127.0.0.1:\(server.port)/")))
        #expect(response.body == Array("hello world".utf8))
        client.shutdown()
        await server.stop()
    }

    @Test func closeDelimitedResponseIsRead() async throws {
        let server = try await ScriptedServer.start { _ in
            .bytes(Array("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end".utf8), close: true)
        }
        let client = try Self.client()
        let response = try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("http://127.0.0.1:\(server.port)/")))
        #expect(response.body == Array("until the end".utf8))
        await server.stop()
    }

    @Test func oversizedResponseByContentLengthIsRefused() async throws {
        try await TestServer.with { _, port in
            let client = try Self.client(HTTPClientConfiguration(maxResponseBodyBytes: 1000))
            defer { client.shutdown() }
            let url = try HTTPURL("http://127.0.0.1:\(port)/big?size=1001")
            await #expect(throws: HTTPClientError.responseTooLarge(limit: 1000, declaredLength: 1001)) {
                try await client.execute(HTTPClientRequest(method: .get, url: url))
            }
            let exact = try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("http://127.0.0.1:\(port)/big?size=1000")))
            #expect(exact.body.count == 1000)
        }
    }

    @Test func oversizedChunkedResponseIsRefusedWhileReading() async throws {
        let chunk = "400\r\n" + String(repeating: "z", count: 1024) + "\r\n"
        let server = try await ScriptedServer.start { _ in
            .bytes(Array(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: chunk, count: 3)).utf8), close: false)
        }
        let client = try Self.client(HTTPClientConfiguration(maxResponseBodyBytes: 2048))
        await #expect(throws: HTTPClientError.responseTooLarge(limit: 2048, declaredLength: nil)) {
            try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("http://127.0.0.1:\(server.port)/")))
        }
        await server.stop()
    }

    @Test func serverThatNeverAnswersTimesOut() async throws {
        let server = try await ScriptedServer.start { _ in .silence }
        let client = try Self.client()
        let request = HTTPClientRequest(method: .get, url: try HTTPURL("http://127.0.0.1:\(server.port)/"), timeout: .milliseconds(300))
        await #expect(throws: HTTPClientError.timeout(host: "127.0.0.1", port: server.port)) {
            try await client.execute(request)
        }
        #expect(server.requestCount == 1)
        await server.stop()
    }

    @Test func refusedConnectionIsNamed() async throws {
        let server = try await ScriptedServer.start { _ in .silence }
        let port = server.port
        await server.stop()
        let client = try Self.client()
        await #expect(throws: HTTPClientError.connectionRefused(host: "127.0.0.1", port: port)) {
            try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("http://127.0.0.1:\(port)/")))
        }
    }

    /// What the blocking client's reader refuses (issue 14 replaced NIO's parser): the request-smuggling shapes
    /// (Content-Length with Transfer-Encoding, conflicting lengths, codings other than chunked), obsolete line
    /// folding, bare LF, bad chunk sizes and status codes outside 100...999.
    @Test(arguments: [
        "garbage\r\n\r\n",
        "HTTP/1.1 2000 Huge\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 099 Low\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
        "HTTP/1.1 200 OK\r\nBad Name: 1\r\nContent-Length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX0\r\n\r\n",
        // Signed chunk sizes (the fuzzer's http-client find: "-0d" read as -13 trapped in the reader).
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-0d\r\n\r\n-0EncellEncello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+2\r\nok\r\n0\r\n\r\n",
    ])
    func malformedResponseIsNamed(reply: String) async throws {
        let server = try await ScriptedServer.start { _ in .bytes(Array(reply.utf8), close: false) }
        let client = try Self.client()
        await #expect {
            try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("http://127.0.0.1:\(server.port)/")))
        } throws: { error in
            guard case HTTPClientError.malformedResponse = error else { return false }
            return true
        }
        await server.stop()
    }

    @Test func interimResponsesAreSkippedAndHeadHasNoBody() async throws {
        let server = try await ScriptedServer.start { index in
            index == 0
                ? .bytes(Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8), close: false)
                : .bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".utf8), close: false)
        }
        let client = try Self.client()
        let url = try HTTPURL("http://127.0.0.1:\(server.port)/")
        #expect(try await client.execute(HTTPClientRequest(method: .get, url: url)).body == Array("ok".utf8))
        // HEAD: the Content-Length describes a body that is not sent; the connection stays usable.
        let head = try await client.execute(HTTPClientRequest(method: .head, url: url))
        #expect(head.status == .ok && head.body.isEmpty && head.headers["content-length"] == "5")
        #expect(server.connectionCount == 1)
        client.shutdown()
        await server.stop()
    }

    /// Cancelling the task ends an exchange the server never answers (the socket is shut down under the
    /// blocked poll), long before the request timeout: `executeOffPool`, the services' way to the blocking client.
    @Test func cancellingTheTaskEndsTheExchange() async throws {
        let server = try await ScriptedServer.start { _ in .silence }
        let client = try Self.client()
        let request = HTTPClientRequest(method: .get, url: try HTTPURL("http://127.0.0.1:\(server.port)/"), timeout: .seconds(3600))
        let exchange = Task { try await client.executeOffPool(request) }
        while server.requestCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
        exchange.cancel()
        await #expect(throws: HTTPClientError.connectionClosed(host: "127.0.0.1", port: server.port)) { try await exchange.value }
        await server.stop()
    }

    @Test func truncatedBodyIsAnError() async throws {
        let server = try await ScriptedServer.start { _ in
            .bytes(Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b".utf8), close: true)
        }
        let client = try Self.client()
        await #expect {
            try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("http://127.0.0.1:\(server.port)/")))
        } throws: { error in
            switch error as? HTTPClientError {
            case .malformedResponse, .connectionClosed: return true
            default: return false
            }
        }
        await server.stop()
    }

    @Test func httpsWithoutTLSConfigurationIsRefused() async throws {
        let client = try Self.client()
        await #expect(throws: HTTPClientError.invalidRequest(reason: "https URL https://127.0.0.1:1/ but no TLS configuration")) {
            try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("https://127.0.0.1:1/")))
        }
    }

    @Test func headerInjectionIsRefused() async throws {
        let client = try Self.client()
        let request = HTTPClientRequest(
            method: .get, url: try HTTPURL("http://127.0.0.1:1/"), headers: ["Cookie": "a=b\r\nX-Evil: 1"])
        await #expect(throws: HTTPClientError.invalidRequest(reason: "header Cookie contains CR, LF or NUL")) {
            try await client.execute(request)
        }
    }
}

/// A listener whose accept queue is full, so the kernel drops further SYNs: connecting to it
/// hangs, on loopback only.
@Suite struct HTTPClientConnectTimeoutTests {
    @Test func fullAcceptQueueGivesConnectTimeout() async throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        try #require(listen(fd, 0) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        // Fill the queue: backlog 0 admits one connection, which is never accepted.
        let filler = try await RawTestConnection.connect(port: port)
        let client = try HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .milliseconds(300), requestTimeout: .seconds(5)))
        await #expect(throws: HTTPClientError.connectTimeout(host: "127.0.0.1", port: port)) {
            try await client.execute(HTTPClientRequest(method: .get, url: HTTPURL("http://127.0.0.1:\(port)/")))
        }
        // When the whole request budget is shorter, the same hang is reported as the request timeout.
        let impatient = HTTPClientRequest(method: .get, url: try HTTPURL("http://127.0.0.1:\(port)/"), timeout: .milliseconds(200))
        await #expect(throws: HTTPClientError.timeout(host: "127.0.0.1", port: port)) { try await client.execute(impatient) }
        await filler.close()
    }
}
