import NIOCore
import NIOHTTP1
import NIOPosix

/// One client connection to one origin, with the TLS handshake (if any) already done.
/// It carries one request at a time; `HTTPClient` keeps it for reuse between requests.
struct HTTPClientConnection: Sendable {
    let channel: any Channel
    let url: HTTPURL

    /// Connects, runs the TLS handshake, and returns the ready connection. Connecting is bounded
    /// by `connectTimeout`; everything by `deadline`.
    static func connect(
        to url: HTTPURL, tls: TLSContext?, group: any EventLoopGroup, connectTimeout: TimeAmount,
        deadline: NIODeadline, maxBodyBytes: Int
    ) async throws(HTTPClientError) -> HTTPClientConnection {
        let eventLoop = group.next()
        let handshake = eventLoop.makePromise(of: Void.self)
        let remaining = deadline - .now()
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(min(connectTimeout, max(remaining, .milliseconds(1))))
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls {
                        let connection = try TLSConnection(context: tls, peerName: url.host)
                        try pipeline.addHandler(OpenSSLHandler(connection: connection, handshakePromise: handshake))
                    }
                    try pipeline.addHTTPClientHandlers(position: .last, leftOverBytesStrategy: .dropBytes)
                    try pipeline.addHandler(HTTPClientResponseHandler(maxBodyBytes: maxBodyBytes, host: url.host, port: url.port))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: url.host, port: url.port).get()
        } catch {
            handshake.fail(error)
            throw HTTPClientError(connecting: error, to: url, connectTimedOut: remaining <= connectTimeout)
        }
        if tls == nil { handshake.succeed(()) }
        let timer = eventLoop.scheduleTask(deadline: deadline) {
            handshake.fail(HTTPClientError.timeout(host: url.host, port: url.port))
            channel.close(promise: nil)
        }
        do {
            try await handshake.futureResult.get()
            timer.cancel()
        } catch {
            timer.cancel()
            channel.close(promise: nil)
            throw HTTPClientError(exchanging: error, with: url)
        }
        return HTTPClientConnection(channel: channel, url: url)
    }

    /// Sends `head` and `body`, and returns the response once it is complete.
    func execute(head: HTTPRequestHead, body: [UInt8], deadline: NIODeadline) async throws(HTTPClientError) -> HTTPClientExchange.Result {
        let promise = channel.eventLoop.makePromise(of: HTTPClientExchange.Result.self)
        channel.writeAndFlush(HTTPClientExchange(head: head, body: body, deadline: deadline, promise: promise), promise: nil)
        do {
            return try await promise.futureResult.get()
        } catch {
            throw HTTPClientError(exchanging: error, with: url)
        }
    }

    var isActive: Bool { channel.isActive }

    func close() { channel.close(promise: nil) }
}
