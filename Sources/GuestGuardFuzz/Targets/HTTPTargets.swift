@testable import GuestGuardHTTP
@testable import GuestGuardHTTPClient
import GuestGuardPlatform
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// HTTP/1.1 through the real server pipeline (driven by NIO's `EmbeddedChannel` instead of a socket) and the
/// real client response reader (fed from a buffer).
///
/// `http-server`: the bytes are a client's stream into `HTTPServer.configurePipeline` (head
/// limiter → NIO's decoder → `HTTPServerConnectionHandler` with small limits → the router with the
/// broker's and posture service's routes), delivered in chunks whose size the first byte picks;
/// then the head/body deadlines fire. Every byte the server writes must be well-formed responses.
///
/// `http-client`: the bytes are a server's answer to one GET (or HEAD), read by the blocking client's
/// `HTTPResponseReader` from a source that hands them out in chunks; a success must respect the body limit.
enum HTTPTargets {
    static let limits: HTTPServerLimits = {
        var limits = HTTPServerLimits()
        limits.maxHeadBytes = 512
        limits.maxHeaderCount = 8
        limits.maxBodyBytes = 1024
        return limits
    }()

    static let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

    static let router: HTTPRouter = {
        var router = HTTPRouter()
        let echo: HTTPRouter.ImmediateHandler = { request in
            fuzzCheck(request.body.count <= limits.maxBodyBytes, "handler got a \(request.body.count)-byte body")
            fuzzCheck(request.path.utf8.first == UInt8(ascii: "/"), "handler got path \(request.path)")
            return .text(.ok, "\(request.method) \(request.path) \(request.query.count) \(request.headers.count)\n")
        }
        for (method, path) in [(HTTPRequestMethod.post, "/kbs/v0/auth"), (.post, "/kbs/v0/attest"), (.get, "/kbs/v0/*"), (.get, "/healthz"),
                               (.get, "/metrics"), (.head, "/healthz"), (.get, "/posture")] {
            router.addImmediate(method, path, handler: echo)
        }
        return router
    }()

    static let server = FuzzTarget(name: "http-server", summary: "HTTP request heads/bodies through the server's limits and router (EmbeddedChannel)") { input in
        let channel = EmbeddedChannel()
        do {
            try HTTPServer.configurePipeline(channel, limits: limits, router: router, tls: nil, logger: logger)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        } catch {
            fatalError("cannot set up the server pipeline: \(error)")
        }
        feed(input, to: channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(120))
        var output: [UInt8] = []
        while let chunk = try? channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = chunk { output += buffer.readableBytesView }
        }
        while let buffer = try? channel.readOutbound(as: ByteBuffer.self) { output += buffer.readableBytesView }
        _ = try? channel.finish()
        checkResponses(output)
    }

    /// Writes the input after its first byte into the channel in chunks of 1–64 bytes (the first
    /// byte picks the size), until the channel closes or an error reaches the pipeline's end.
    static func feed(_ input: [UInt8], to channel: EmbeddedChannel) {
        let chunkSize = Int(input.first ?? 0) % 64 + 1
        var offset = min(1, input.count)
        while offset < input.count, channel.isActive {
            let end = min(input.count, offset + chunkSize)
            do { try channel.writeInbound(ByteBuffer(bytes: input[offset..<end])) } catch { break }
            offset = end
        }
    }

    /// Everything the server wrote is a sequence of `HTTP/1.x NNN` response heads and their bodies.
    static func checkResponses(_ output: [UInt8]) {
        guard !output.isEmpty else { return }
        let prefix = Array("HTTP/1.".utf8)
        fuzzCheck(output.starts(with: prefix), "server output does not start with a status line: \(String(decoding: output.prefix(40), as: UTF8.self))")
        let status = output.dropFirst(prefix.count + 2).prefix(3)
        fuzzCheck(status.count == 3 && status.allSatisfy { (0x30...0x39).contains($0) }, "bad status code in server output")
    }

    static let client = FuzzTarget(name: "http-client", summary: "HTTP responses through the blocking client's response reader") { input in
        let source = ChunkedSource(input)
        let maxBodyBytes = 1024
        let method: HTTPRequestMethod = input.first.map { $0 & 0x80 != 0 } == true ? .head : .get
        let reader = HTTPResponseReader(connection: source, deadline: .now + .seconds(30), maxBodyBytes: maxBodyBytes)
        do {
            let result = try reader.read(method: method)
            fuzzCheck(result.response.body.count <= maxBodyBytes, "response body over the limit")
            fuzzCheck((100...999).contains(result.response.status.code), "status \(result.response.status.code)")
            fuzzCheck(method != .head || result.response.body.isEmpty, "a body for HEAD")
            fuzzCheck(source.receivedStart <= source.received.count, "the reader consumed more than it received")
        } catch {}
    }

    /// The input after its first byte, handed out in chunks of 1–64 bytes (the first byte picks the size),
    /// then a clean or an unclean (TLS without close_notify) end, as bit 6 of the first byte picks.
    final class ChunkedSource: HTTPResponseSource {
        var received: [UInt8] = []
        var receivedStart = 0
        let host = "127.0.0.1"
        let port = 8080
        private let input: [UInt8]
        private var offset: Int
        private let chunkSize: Int
        private let end: HTTPStreamEnd

        init(_ input: [UInt8]) {
            self.input = input
            offset = min(1, input.count)
            chunkSize = Int(input.first ?? 0) % 64 + 1
            end = (input.first ?? 0) & 0x40 != 0 ? .unclean : .clean
        }

        func receiveMore(deadline: MonotonicInstant) throws(HTTPClientError) -> HTTPStreamEnd {
            guard offset < input.count else { return end }
            let next = min(input.count, offset + chunkSize)
            received += input[offset..<next]
            offset = next
            return .open
        }
    }
}
