import NIOCore
import NIOHTTP1

extension HTTPServerConnectionHandler {
    /// How long an error response's connection waits for the client to read it and close,
    /// after our output side is shut, before it is closed hard.
    static let lingerTime = TimeAmount.seconds(2)

    /// Writes `response` for the request `head`; then keeps the connection for the next request
    /// or closes it.
    func respond(_ response: HTTPResponse, to head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard case .responding(let requestedKeepAlive) = state else { return }
        let keepAlive = requestedKeepAlive && !quiescing
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        headers.remove(name: "connection")
        headers.remove(name: "transfer-encoding")
        let sendsBody = response.status.allowsBody && head.method != .HEAD
        if response.status.allowsBody {
            headers.replaceOrAdd(name: "content-length", value: String(response.body.count))
        } else {
            headers.remove(name: "content-length")
        }
        if !keepAlive {
            headers.replaceOrAdd(name: "connection", value: "close")
        } else if head.version == .http1_0 {
            headers.replaceOrAdd(name: "connection", value: "keep-alive")  // 1.0 closes unless told
        }
        let status = HTTPResponseStatus(statusCode: response.status.code, reasonPhrase: response.status.reasonPhrase)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if sendsBody, !response.body.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: response.body.count)
            buffer.writeBytes(response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        armTimer(limits.writeTimeout, context: context)
        written.futureResult.assumeIsolated().whenComplete { result in
            guard case .responding(let stillKeepAlive) = self.state else { return }
            self.cancelTimer()
            if case .success = result, keepAlive, stillKeepAlive, !self.quiescing {
                self.becomeIdle(context: context)
            } else {
                context.close(promise: nil)
            }
        }
    }

    /// Answers a request that broke a limit or the protocol, shuts our output side and discards
    /// input until the client closes (so the kernel does not reset the connection before the
    /// client has read the answer), then closes.
    func reject(_ status: HTTPStatus, _ reason: String, context: ChannelHandlerContext) {
        switch state {
        case .lingering, .closed: return
        default: break
        }
        logger.debug("rejecting request", metadata: ["peer": "\(remoteAddress.map(String.init(describing:)) ?? "?")", "status": "\(status.code)", "reason": "\(reason)"])
        let wasResponding: Bool
        if case .responding = state { wasResponding = true } else { wasResponding = false }
        state = .lingering
        heldParts.removeAll()
        handlerTask?.cancel()
        handlerTask = nil
        if !wasResponding {
            let body = Array("\(status.reasonPhrase.lowercased())\n".utf8)
            var headers = HTTPHeaders([("content-type", "text/plain; charset=utf-8"), ("connection", "close")])
            headers.add(name: "content-length", value: String(body.count))
            let responseStatus = HTTPResponseStatus(statusCode: status.code, reasonPhrase: status.reasonPhrase)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: responseStatus, headers: headers))), promise: nil)
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        context.close(mode: .output, promise: nil)
        armTimer(Self.lingerTime, context: context)
        resumeReading(context: context)
    }

    /// Ready for the next request: re-arm the head limiter, the idle deadline and reading, then
    /// replay any pipelined parts that arrived meanwhile.
    func becomeIdle(context: ChannelHandlerContext) {
        state = .idle
        let held = heldParts
        heldParts.removeAll()
        if held.isEmpty {
            // With a held head, the bytes still arriving belong to that request's body, so the
            // limiter stays out of the way until the held request is answered.
            limiter.expectNextHead()
            armTimer(limits.idleTimeout, context: context)
        } else {
            state = .readingHead
            armTimer(limits.headTimeout, context: context)
        }
        for part in held { handle(part, context: context) }
        resumeReading(context: context)
    }

    private func resumeReading(context: ChannelHandlerContext) {
        if readRequested, !isResponding {
            readRequested = false
            context.read()
        }
    }

    private var isResponding: Bool {
        if case .responding = state { return true }
        return false
    }

    // MARK: Deadlines

    /// Replaces the connection's single deadline. When it passes: idle or lingering connections
    /// close quietly; one in the middle of a request gets 408; a stalled response is abandoned.
    ///
    /// One NIO timer serves the successive deadlines of a kept-alive connection (idle, head, body,
    /// write: four per request): it is rescheduled only for a deadline earlier than the time it
    /// fires; a timer that fires before the current deadline reschedules itself to it, and one that
    /// finds no deadline does nothing. A request thus costs one `scheduleTask` and one `cancel`,
    /// not four of each.
    func armTimer(_ timeout: TimeAmount, context: ChannelHandlerContext) {
        let due = context.eventLoop.now + timeout
        deadline = due
        if timer != nil, timerFiresAt <= due { return }
        scheduleTimer(at: due, context: context)
    }

    private func scheduleTimer(at due: NIODeadline, context: ChannelHandlerContext) {
        timer?.cancel()
        timerFiresAt = due
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) {
            self.timer = nil
            self.timerFiresAt = .distantFuture
            guard let deadline = self.deadline else { return }
            if deadline > context.eventLoop.now { return self.scheduleTimer(at: deadline, context: context) }
            self.deadline = nil
            switch self.state {
            case .idle, .lingering, .responding:
                context.close(promise: nil)
            case .readingHead, .readingBody:
                self.reject(.requestTimeout, "request not received within its deadline", context: context)
            case .closed:
                break
            }
        }
    }

    func armTimer(_ timeout: Duration, context: ChannelHandlerContext) {
        armTimer(TimeAmount(timeout), context: context)
    }

    /// No deadline runs until the next ``armTimer(_:context:)`` (the timer, if it fires meanwhile, does nothing).
    func cancelTimer() {
        deadline = nil
    }

    /// Cancels the timer itself (the connection is closed).
    func stopTimer() {
        deadline = nil
        timer?.cancel()
        timer = nil
        timerFiresAt = .distantFuture
    }
}
