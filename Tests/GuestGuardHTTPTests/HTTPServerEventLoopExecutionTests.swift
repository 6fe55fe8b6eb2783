import GuestGuardHTTP
import NIOCore
import NIOPosix
import Testing

/// `HTTPHandlerExecution.eventLoop`: async handlers run on their connection's event loop (before and
/// after every `await`), and many connections with handlers that suspend are all answered.
@Suite struct HTTPServerEventLoopExecutionTests {
    /// `GET /where` answers where the handler ran, before and after suspending twice:
    /// `loop` on an event loop thread, `pool` elsewhere.
    static func router() -> HTTPRouter {
        TestServer.router { router in
            router.add(.get, "/where") { _ in
                func place() -> String { MultiThreadedEventLoopGroup.currentEventLoop == nil ? "pool" : "loop" }
                let before = place()
                await Task.yield()
                // A future completed by another thread resumes the handler on its executor again.
                let elsewhere = MultiThreadedEventLoopGroup.singleton.next()
                let value = try? await elsewhere.submit { 41 + 1 }.get()
                let after = place()
                return .text(.ok, "\(before) \(after) \(value ?? 0)")
            }
            router.add(.get, "/sleep") { request in
                let milliseconds = request.queryValue("ms").flatMap(Int.init) ?? 1
                try? await Task.sleep(for: .milliseconds(milliseconds))
                return .text(.ok, "slept \(milliseconds)")
            }
        }
    }

    @Test(arguments: [HTTPHandlerExecution.eventLoop, .concurrencyPool])
    func handlersRunWhereConfigured(_ execution: HTTPHandlerExecution) async throws {
        try await TestServer.with(router: Self.router(), handlerExecution: execution) { _, port in
            let connection = try await RawTestConnection.connect(port: port)
            for _ in 0..<3 {
                try await connection.send("GET /where HTTP/1.1\r\nHost: t\r\n\r\n")
                let response = try await connection.readResponse()
                #expect(response.status == 200)
                #expect(response.text == (execution == .eventLoop ? "loop loop 42" : "pool pool 42"))
            }
            await connection.close()
        }
    }

    @Test func manyConnectionsWithSuspendingHandlersAreAllAnsweredOnTheLoop() async throws {
        try await TestServer.with(router: Self.router(), handlerExecution: .eventLoop) { _, port in
            try await withThrowingTaskGroup(of: [String].self) { group in
                for index in 0..<32 {
                    group.addTask {
                        let connection = try await RawTestConnection.connect(port: port)
                        // Pipelined: the second and third wait behind the first on the same connection.
                        try await connection.send("GET /sleep?ms=\(index % 5) HTTP/1.1\r\nHost: t\r\n\r\nGET /where HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
                        var texts: [String] = []
                        for _ in 0..<3 { texts.append(try await connection.readResponse().text) }
                        await connection.close()
                        return texts
                    }
                }
                var answered = 0
                for try await texts in group {
                    #expect(texts.count == 3)
                    #expect(texts[0].hasPrefix("slept "))
                    #expect(texts[1] == "loop loop 42")
                    #expect(texts[2] == "hello")
                    answered += 1
                }
                #expect(answered == 32)
            }
        }
    }
}
