import Logging
import NIOCore
import NIOHTTP1

/// One connection's request state machine: enforces the head, header-count and body limits and
/// the idle/head/body deadlines, routes each complete request to its async handler, and writes
/// the response. Requests are served one at a time: while one is being answered the handler
/// stops reading and holds any pipelined parts already decoded.
final class HTTPServerConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// A request whose head is in and whose body is arriving.
    struct PendingRequest {
        let head: HTTPRequestHead
        let target: HTTPRequestTarget
        let route: HTTPRouter.Resolution
        var body: ByteBuffer
    }

    enum State {
        /// Waiting for the first byte of a request (new or kept-alive connection).
        case idle
        case readingHead
        case readingBody(PendingRequest)
        /// The handler runs or its response is being written; reading is paused.
        case responding(keepAlive: Bool)
        /// An error response is out and the output side is shut; input is discarded.
        case lingering
        case closed
    }

    let limits: HTTPServerLimits
    let router: HTTPRouter
    let limiter: RequestHeadLimiter
    let logger: Logger
    var state = State.idle
    /// The NIO timer behind the connection's deadline, and when it fires (see ``armTimer(_:context:)``).
    var timer: Scheduled<Void>?
    var timerFiresAt: NIODeadline = .distantFuture
    /// The connection's current deadline; nil when none runs (a handler is working).
    var deadline: NIODeadline?
    var quiescing = false
    /// Parts decoded while a response was outstanding (HTTP pipelining), replayed afterwards.
    var heldParts: [HTTPServerRequestPart] = []
    var readRequested = false
    var handlerTask: Task<Void, Never>?
    var remoteAddress: HTTPRemoteAddress?
    private var started = false
    let handlerExecution: HTTPHandlerExecution
    /// The connection's event loop as a task executor (``HTTPHandlerExecution/eventLoop``), made at start.
    var taskExecutor: EventLoopTaskExecutor?

    init(limits: HTTPServerLimits, router: HTTPRouter, limiter: RequestHeadLimiter, logger: Logger,
         handlerExecution: HTTPHandlerExecution = .concurrencyPool) {
        self.limits = limits
        self.router = router
        self.limiter = limiter
        self.logger = logger
        self.handlerExecution = handlerExecution
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        remoteAddress = Self.remoteAddress(of: context.channel)
        if handlerExecution == .eventLoop { taskExecutor = EventLoopTaskExecutor(context.eventLoop) }
        becomeIdle(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        state = .closed
        stopTimer()
        handlerTask?.cancel()
        handlerTask = nil
        heldParts.removeAll()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case RequestHeadLimiter.Event.headStarted:
            if case .idle = state {
                state = .readingHead
                armTimer(limits.headTimeout, context: context)
            }
        case RequestHeadLimiter.Event.headTooLarge:
            reject(.requestHeaderFieldsTooLarge, "request head exceeds \(limits.maxHeadBytes) bytes", context: context)
        case is ChannelShouldQuiesceEvent:
            quiescing = true
            if case .idle = state { context.close(promise: nil) }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch state {
        case .idle, .readingHead, .readingBody:
            if let parserError = error as? HTTPParserError {
                let status: HTTPStatus = parserError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
                reject(status, "malformed request: \(parserError)", context: context)
            } else {
                logger.debug("closing connection", metadata: ["peer": "\(remoteAddress.map(String.init(describing:)) ?? "?")", "error": "\(error)"])
                context.close(promise: nil)
            }
        case .responding:
            // A pipelined request behind the current one is broken: finish this one, then close.
            if error is HTTPParserError { state = .responding(keepAlive: false) } else { context.close(promise: nil) }
        case .lingering:
            // Garbage after a rejected request is expected; only I/O failures end the linger.
            if !(error is HTTPParserError) { context.close(promise: nil) }
        case .closed:
            break
        }
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        handle(unwrapInboundIn(data), context: context)
    }

    func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch state {
        case .responding:
            heldParts.append(part)
            return
        case .lingering, .closed:
            return
        case .idle, .readingHead, .readingBody:
            break
        }
        switch part {
        case .head(let head): receivedHead(head, context: context)
        case .body(var chunk): receivedBody(&chunk, context: context)
        case .end: receivedEnd(context: context)
        }
    }

    private func receivedHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard head.headers.count <= limits.maxHeaderCount else {
            return reject(.requestHeaderFieldsTooLarge, "\(head.headers.count) header fields, limit \(limits.maxHeaderCount)", context: context)
        }
        guard Self.headSize(head) <= limits.maxHeadBytes else {
            return reject(.requestHeaderFieldsTooLarge, "request head exceeds \(limits.maxHeadBytes) bytes", context: context)
        }
        guard head.version.major == 1 else {
            return reject(.badRequest, "HTTP version \(head.version) not served", context: context)
        }
        let target: HTTPRequestTarget
        do { target = try HTTPRequestTarget(head.uri) } catch {
            return reject(.badRequest, "\(error)", context: context)
        }
        let method = HTTPRequestMethod(rawValue: head.method.rawValue)
        let route: HTTPRouter.Resolution
        if router.knownMethods.contains(method) {
            route = router.resolve(method: method, path: target.path)
        } else {
            route = .methodNotAllowed(allowed: router.knownMethods.sorted { $0.rawValue < $1.rawValue })
        }
        if let declared = head.headers.first(name: "content-length") {
            guard let length = Int(declared), length >= 0 else {
                return reject(.badRequest, "bad Content-Length \(declared)", context: context)
            }
            guard length <= limits.maxBodyBytes else {
                return reject(.contentTooLarge, "Content-Length \(length) exceeds \(limits.maxBodyBytes)", context: context)
            }
        }
        if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
            let continueHead = HTTPResponseHead(version: head.version, status: .continue)
            context.writeAndFlush(wrapOutboundOut(.head(continueHead)), promise: nil)
        }
        let body = context.channel.allocator.buffer(capacity: 0)
        state = .readingBody(PendingRequest(head: head, target: target, route: route, body: body))
        armTimer(limits.bodyTimeout, context: context)
    }

    private func receivedBody(_ chunk: inout ByteBuffer, context: ChannelHandlerContext) {
        guard case .readingBody(var request) = state else {
            return reject(.badRequest, "body without a request head", context: context)
        }
        guard request.body.readableBytes + chunk.readableBytes <= limits.maxBodyBytes else {
            return reject(.contentTooLarge, "request body exceeds \(limits.maxBodyBytes) bytes", context: context)
        }
        state = .idle  // drop the reference held by `state` so the append does not copy
        request.body.writeBuffer(&chunk)
        state = .readingBody(request)
    }

    private func receivedEnd(context: ChannelHandlerContext) {
        guard case .readingBody(let request) = state else {
            return reject(.badRequest, "request end without a head", context: context)
        }
        cancelTimer()
        let keepAlive = request.head.isKeepAlive && !quiescing
        state = .responding(keepAlive: keepAlive)
        switch request.route {
        case .notFound:
            respond(.text(.notFound, "not found\n"), to: request.head, context: context)
        case .methodNotAllowed(let allowed):
            var response = HTTPResponse.text(.methodNotAllowed, "method not allowed\n")
            response.headers.replaceOrAdd(name: "Allow", value: allowed.map(\.rawValue).joined(separator: ", "))
            respond(response, to: request.head, context: context)
        case .handler(let handler):
            run(handler, httpRequest(request), head: request.head, context: context)
        case .immediate(let handler):
            respond(handler(httpRequest(request)), to: request.head, context: context)
        }
    }

    private func httpRequest(_ request: PendingRequest) -> HTTPRequest {
        HTTPRequest(
            method: HTTPRequestMethod(rawValue: request.head.method.rawValue), path: request.target.path,
            query: request.target.query, headers: HTTPHeaderFields(request.head.headers.map { .init(name: $0.name, value: $0.value) }),
            body: Array(request.body.readableBytesView), remoteAddress: remoteAddress)
    }

    private func run(_ handler: @escaping HTTPRouter.Handler, _ request: HTTPRequest, head: HTTPRequestHead, context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: HTTPResponse.self)
        if let taskExecutor {
            handlerTask = Task(executorPreference: taskExecutor) { promise.succeed(await handler(request)) }
        } else {
            handlerTask = Task { promise.succeed(await handler(request)) }
        }
        promise.futureResult.assumeIsolated().whenSuccess { response in
            self.handlerTask = nil
            guard case .responding = self.state else { return }  // the connection went away
            self.respond(response, to: head, context: context)
        }
    }

    // MARK: Backpressure

    func read(context: ChannelHandlerContext) {
        if case .responding = state {
            readRequested = true
        } else {
            context.read()
        }
    }

    /// Raw size of the head as the decoder saw it, give or take optional whitespace.
    static func headSize(_ head: HTTPRequestHead) -> Int {
        var size = head.method.rawValue.utf8.count + 1 + head.uri.utf8.count + 1 + 8 + 2 + 2
        for header in head.headers { size += header.name.utf8.count + 2 + header.value.utf8.count + 2 }
        return size
    }

    static func remoteAddress(of channel: any Channel) -> HTTPRemoteAddress? {
        guard let address = channel.remoteAddress else { return nil }
        switch address {
        case .v4, .v6: return address.ipAddress.map { .ip(address: $0, port: address.port ?? 0) }
        case .unixDomainSocket: return .unixSocket
        }
    }
}
