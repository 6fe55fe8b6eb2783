import NIOCore
import NIOHTTP1

/// One request on its way out, with the promise its response completes.
struct HTTPClientExchange: Sendable {
    let head: HTTPRequestHead
    let body: [UInt8]
    let deadline: NIODeadline
    let promise: EventLoopPromise<HTTPClientExchange.Result>

    struct Result: Sendable {
        let response: HTTPResponse
        /// Both sides allow the connection to be reused.
        let keepAlive: Bool
    }
}

/// The client's last handler: writes an exchange's request, collects the response under the
/// size limit and the deadline, and completes the exchange's promise exactly once. Any failure
/// closes the connection.
final class HTTPClientResponseHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientExchange
    typealias OutboundOut = HTTPClientRequestPart

    private struct InFlight {
        let exchange: HTTPClientExchange
        var head: HTTPResponseHead?
        var body: ByteBuffer?
        var timer: Scheduled<Void>?
    }

    private let maxBodyBytes: Int
    private let host: String
    private let port: Int
    private var inFlight: InFlight?

    init(maxBodyBytes: Int, host: String, port: Int) {
        self.maxBodyBytes = maxBodyBytes
        self.host = host
        self.port = port
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard inFlight == nil else {
            exchange.promise.fail(HTTPClientError.invalidRequest(reason: "connection already has a request in flight"))
            promise?.fail(ChannelError.inappropriateOperationForState)
            return
        }
        let timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: exchange.deadline) {
            self.finish(.failure(HTTPClientError.timeout(host: self.host, port: self.port)), context: context)
        }
        inFlight = InFlight(exchange: exchange, timer: timer)
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if !exchange.body.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: exchange.body.count)
            buffer.writeBytes(exchange.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        written.futureResult.assumeIsolated().whenFailure { error in
            self.finish(.failure(error), context: context)
        }
        promise?.succeed(())
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard var request = inFlight else { return }  // nothing asked for: ignore
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard (100...999).contains(head.status.code) else {
                return finish(.failure(HTTPClientError.malformedResponse(reason: "status \(head.status.code)")), context: context)
            }
            if let declared = head.headers.first(name: "content-length").flatMap(Int.init), declared > maxBodyBytes {
                return finish(.failure(HTTPClientError.responseTooLarge(limit: maxBodyBytes, declaredLength: declared)), context: context)
            }
            request.head = head
            request.body = context.channel.allocator.buffer(capacity: 0)
            inFlight = request
        case .body(var chunk):
            guard var body = request.body else { return }
            guard body.readableBytes + chunk.readableBytes <= maxBodyBytes else {
                return finish(.failure(HTTPClientError.responseTooLarge(limit: maxBodyBytes, declaredLength: nil)), context: context)
            }
            request.body = nil
            inFlight = request  // release the buffer's second reference before appending
            body.writeBuffer(&chunk)
            request.body = body
            inFlight = request
        case .end:
            guard let head = request.head else {
                return finish(.failure(HTTPClientError.malformedResponse(reason: "end without head")), context: context)
            }
            let response = HTTPResponse(
                status: HTTPStatus(code: Int(head.status.code), reasonPhrase: head.status.reasonPhrase),
                headers: HTTPHeaderFields(head.headers.map { .init(name: $0.name, value: $0.value) }),
                body: request.body.map { Array($0.readableBytesView) } ?? [])
            let keepAlive = head.isKeepAlive && request.exchange.head.isKeepAlive
            finish(.success(.init(response: response, keepAlive: keepAlive)), context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case TLSError.uncleanShutdown = error {
            // Only a body delimited by the connection's end can be silently truncated; for the
            // others the decoder or `channelInactive` reports what is missing.
            if let head = inFlight?.head, Self.isEOFDelimited(head) {
                finish(.failure(HTTPClientError.tls(.uncleanShutdown)), context: context)
            }
            return
        }
        finish(.failure(error), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(HTTPClientError.connectionClosed(host: host, port: port)), context: context)
        context.fireChannelInactive()
    }

    /// Completes the exchange once; anything but a reusable success closes the connection.
    private func finish(_ result: Result<HTTPClientExchange.Result, any Error>, context: ChannelHandlerContext) {
        guard let request = inFlight else {
            if case .failure = result { context.close(promise: nil) }
            return
        }
        inFlight = nil
        request.timer?.cancel()
        switch result {
        case .success(let value):
            request.exchange.promise.succeed(value)
            if !value.keepAlive { context.close(promise: nil) }
        case .failure(let error):
            request.exchange.promise.fail(error)
            context.close(promise: nil)
        }
    }

    /// No Content-Length and not chunked: the body ends when the connection does.
    private static func isEOFDelimited(_ head: HTTPResponseHead) -> Bool {
        !head.headers.contains(name: "content-length") && !head.headers.contains(name: "transfer-encoding")
            && head.status.code >= 200 && head.status.code != 204 && head.status.code != 304
    }
}
