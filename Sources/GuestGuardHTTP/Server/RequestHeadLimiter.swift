import NIOCore

/// Sits before the HTTP decoder and counts the raw bytes of a request head (request line and
/// header lines, up to and including the blank line). Past the limit it drops everything and
/// tells the connection handler, which answers 431 and closes; NIO's decoder would otherwise
/// buffer up to 80 KiB first. It also tells the connection handler when the first byte of a
/// head arrives, which starts the head deadline.
///
/// After the blank line it passes bytes through uncounted until the connection handler calls
/// `expectNextHead()`. Pipelined head bytes that arrived before that call are not counted here;
/// the connection handler re-checks the parsed head's size, so they cannot slip past the limit.
final class RequestHeadLimiter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// User events fired toward the connection handler.
    enum Event {
        /// The first byte of a request head arrived.
        case headStarted
        /// The head exceeded the limit; nothing more is passed on.
        case headTooLarge
    }

    private let limit: Int
    private var counting = true
    private var count = 0
    /// How many bytes of CR LF CR LF the most recent bytes match.
    private var matched = 0
    private var rejected = false

    init(limit: Int) { self.limit = limit }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !rejected else { return }
        guard counting else {
            context.fireChannelRead(data)
            return
        }
        let buffer = unwrapInboundIn(data)
        if count == 0, buffer.readableBytes > 0 {
            context.fireUserInboundEventTriggered(Event.headStarted)
        }
        for byte in buffer.readableBytesView {
            count += 1
            matched = Self.advance(matched, byte)
            if matched == 4 {
                counting = false
                break
            }
            if count > limit {
                rejected = true
                context.fireUserInboundEventTriggered(Event.headTooLarge)
                return
            }
        }
        context.fireChannelRead(data)
    }

    /// Starts counting afresh for the next request on this connection.
    func expectNextHead() {
        counting = true
        count = 0
        matched = 0
    }

    /// One step of matching CR LF CR LF.
    static func advance(_ matched: Int, _ byte: UInt8) -> Int {
        switch (matched, byte) {
        case (0, 0x0D), (2, 0x0D): return matched + 1
        case (1, 0x0A), (3, 0x0A): return matched + 1
        case (_, 0x0D): return 1
        default: return 0
        }
    }
}
