import NIOCore
import NIOPosix
import Synchronization

/// A plain socket client for tests that must send what no well-behaved client would: partial
/// heads, trickled bytes, garbage. Everything received is buffered; responses are parsed from
/// the buffer by `readResponse`.
final class RawTestConnection: Sendable {
    struct Response: Sendable {
        let status: Int
        let headers: [(name: String, value: String)]
        let body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Timeout: Error, CustomStringConvertible {
        let what: String
        var description: String { "timed out waiting for \(what)" }
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let state = Mutex<(bytes: [UInt8], closed: Bool)>(([], false))

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            state.withLock { $0.bytes += buffer.readableBytesView }
        }

        func channelInactive(context: ChannelHandlerContext) {
            state.withLock { $0.closed = true }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }

    let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func connect(port: Int, host: String = "127.0.0.1") async throws -> RawTestConnection {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: host, port: port).get()
        return RawTestConnection(channel: channel, collector: collector)
    }

    static func connect(unixPath: String) async throws -> RawTestConnection {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(unixDomainSocketPath: unixPath).get()
        return RawTestConnection(channel: channel, collector: collector)
    }

    func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) async throws {
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        try await channel.writeAndFlush(buffer)
    }

    var isClosed: Bool { collector.state.withLock { $0.closed } }

    func close() async { try? await channel.close() }

    /// Waits (polling every 10 ms, at most `timeout`) for one complete response with a
    /// Content-Length body (no body at all when `bodyless`, as for HEAD), removes it from the
    /// buffer and returns it.
    func readResponse(timeout: Duration = .seconds(5), bodyless: Bool = false) async throws -> Response {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end {
            if let response = collector.state.withLock({ state in Self.takeResponse(&state.bytes, bodyless: bodyless) }) {
                return response
            }
            if isClosed { throw Timeout(what: "a response (connection closed first)") }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw Timeout(what: "a response")
    }

    /// Waits for the server to close the connection; true if it did within `timeout`.
    func waitForClose(timeout: Duration = .seconds(5)) async throws -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end {
            if isClosed { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return isClosed
    }

    private static func takeResponse(_ bytes: inout [UInt8], bodyless: Bool) -> Response? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = bytes.firstRange(of: terminator) else { return nil }
        let lines = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self).split(separator: "\r\n")
        guard let statusLine = lines.first else { return nil }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        let headers = lines.dropFirst().map { line -> (name: String, value: String) in
            let pair = line.split(separator: ":", maxSplits: 1)
            return (String(pair[0]), pair.count > 1 ? String(pair[1].drop { $0 == " " }) : "")
        }
        let length = bodyless ? 0 : headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        let bodyStart = headEnd.upperBound
        guard bytes.count >= bodyStart + length else { return nil }
        let body = Array(bytes[bodyStart..<(bodyStart + length)])
        bytes.removeFirst(bodyStart + length)
        return Response(status: status, headers: headers, body: body)
    }
}
