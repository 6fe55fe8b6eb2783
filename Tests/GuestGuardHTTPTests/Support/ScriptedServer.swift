import NIOCore
import NIOPosix
import Synchronization

/// A loopback server that answers each request head with fixed bytes, for responses our own
/// server never sends: chunked, oversized, malformed, close-delimited, or none at all.
final class ScriptedServer: Sendable {
    enum Reply: Sendable {
        /// Write these bytes; close afterwards when `close` is set.
        case bytes([UInt8], close: Bool)
        /// Read the request and say nothing, ever.
        case silence
    }

    /// Requests and connections seen so far.
    final class Counters: Sendable {
        let requests = Mutex(0)
        let connections = Mutex(0)
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let reply: @Sendable (Int) -> Reply
        let counters: Counters
        var pending: [UInt8] = []

        init(reply: @escaping @Sendable (Int) -> Reply, counters: Counters) {
            self.reply = reply
            self.counters = counters
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            pending += unwrapInboundIn(data).readableBytesView
            // One request per head; these tests send no request bodies to scripted servers.
            while let end = pending.firstRange(of: [13, 10, 13, 10]) {
                pending.removeFirst(end.upperBound)
                let index = counters.requests.withLock { count -> Int in
                    count += 1
                    return count - 1
                }
                switch reply(index) {
                case .bytes(let bytes, let close):
                    var buffer = context.channel.allocator.buffer(capacity: bytes.count)
                    buffer.writeBytes(bytes)
                    if close {
                        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
                            context.close(promise: nil)
                        }
                    } else {
                        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
                    }
                case .silence:
                    break
                }
            }
        }
    }

    let channel: any Channel
    private let counters: Counters

    var port: Int { channel.localAddress!.port! }
    var requestCount: Int { counters.requests.withLock { $0 } }
    var connectionCount: Int { counters.connections.withLock { $0 } }

    private init(channel: any Channel, counters: Counters) {
        self.channel = channel
        self.counters = counters
    }

    static func start(_ reply: @escaping @Sendable (Int) -> Reply) async throws -> ScriptedServer {
        let counters = Counters()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                counters.connections.withLock { $0 += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(reply: reply, counters: counters))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ScriptedServer(channel: channel, counters: counters)
    }

    func stop() async { try? await channel.close() }
}
