import COpenSSL
import GuestGuardCrypto
import NIOCore

/// A NIO handler that runs TLS over the system OpenSSL: ciphertext in and out of the channel,
/// plaintext to and from the handlers after it. It drives one `SSL` through memory BIOs
/// (`SSL_do_handshake`, `SSL_read`, `SSL_write`, `SSL_shutdown`) and turns every failure into a
/// `TLSError` carrying OpenSSL's error queue, copied right after the failing call.
///
/// Writes issued before the handshake completes are held and sent after it. `close` sends
/// close_notify and then closes without waiting for the peer's. A TCP close without the peer's
/// close_notify is reported as `TLSError.uncleanShutdown` (via `errorCaught`) before
/// `channelInactive`, so the HTTP layer can tell truncation from a clean end.
final class OpenSSLHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case idle, handshaking, active
        /// Our close_notify is out (or the connection failed); nothing more is encrypted.
        case closed
    }

    private let connection: TLSConnection
    private var state = State.idle
    private var bufferedWrites: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var flushRequested = false
    /// Completed once: success after the handshake, failure with the reason it did not finish.
    private var handshakePromise: EventLoopPromise<Void>?

    init(connection: TLSConnection, handshakePromise: EventLoopPromise<Void>? = nil) {
        self.connection = connection
        self.handshakePromise = handshakePromise
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startHandshake(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failBufferedWrites(ChannelError.ioOnClosedChannel)
        handshakePromise?.fail(TLSError.closedDuringHandshake)
        handshakePromise = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        startHandshake(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let previous = state
        state = .closed
        failBufferedWrites(ChannelError.ioOnClosedChannel)
        switch previous {
        case .idle, .handshaking:
            handshakePromise?.fail(TLSError.closedDuringHandshake)
            handshakePromise = nil
            if previous == .handshaking { context.fireErrorCaught(TLSError.closedDuringHandshake) }
        case .active:
            context.fireErrorCaught(TLSError.uncleanShutdown)
        case .closed:
            break
        }
        context.fireChannelInactive()
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard state != .closed else { return }
        buffer.withUnsafeReadableBytes { connection.receive($0) }
        switch state {
        case .handshaking: doHandshake(context: context)
        case .active: readPlaintext(context: context)
        case .idle, .closed: break
        }
    }

    private func startHandshake(context: ChannelHandlerContext) {
        guard state == .idle else { return }
        state = .handshaking
        doHandshake(context: context)
    }

    private func doHandshake(context: ChannelHandlerContext) {
        ERR_clear_error()
        let result = SSL_do_handshake(connection.ssl)
        if result == 1 {
            state = .active
            sendCiphertext(context: context, flush: true)
            handshakePromise?.succeed(())
            handshakePromise = nil
            writeBufferedData(context: context)
            // Application data may have arrived together with the peer's Finished.
            if state == .active { readPlaintext(context: context) }
            return
        }
        let code = SSL_get_error(connection.ssl, result)
        if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE {
            sendCiphertext(context: context, flush: true)
            return
        }
        fail(connection.handshakeError(queue: .drainingQueue(operation: "SSL_do_handshake")), context: context)
    }

    private func readPlaintext(context: ChannelHandlerContext) {
        var producedData = false
        while state == .active {
            var buffer = context.channel.allocator.buffer(capacity: 16 * 1024)
            var result: Int32 = 0
            ERR_clear_error()
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 16 * 1024) { pointer in
                result = SSL_read(connection.ssl, pointer.baseAddress, Int32(pointer.count))
                return Int(max(0, result))
            }
            if result > 0 {
                producedData = true
                context.fireChannelRead(wrapInboundOut(buffer))
                continue
            }
            let code = SSL_get_error(connection.ssl, result)
            switch code {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                sendCiphertext(context: context, flush: true)  // e.g. a KeyUpdate reply
                if producedData { context.fireChannelReadComplete() }
                return
            case SSL_ERROR_ZERO_RETURN:
                // The peer's close_notify: answer with ours and close.
                if producedData { context.fireChannelReadComplete() }
                closeWithNotify(context: context, promise: nil)
                return
            default:
                fail(.protocolError(.drainingQueue(operation: "SSL_read")), context: context)
                return
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Plaintext read completion is signalled from readPlaintext; ciphertext-only reads
        // (handshake records) have nothing to complete for the handlers after us.
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        switch state {
        case .idle, .handshaking:
            bufferedWrites.append((buffer, promise))
        case .active:
            encrypt(buffer, promise: promise, context: context)
        case .closed:
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    func flush(context: ChannelHandlerContext) {
        switch state {
        case .idle, .handshaking: flushRequested = true
        case .active, .closed: context.flush()
        }
    }

    /// `.all` and `.output` both send close_notify first (`.output` is how the server ends an
    /// error response while it drains the client's input); `.input` passes through.
    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        switch mode {
        case .all, .output:
            closeWithNotify(context: context, mode: mode, promise: promise)
        case .input:
            context.close(mode: mode, promise: promise)
        }
    }

    private func closeWithNotify(context: ChannelHandlerContext, mode: CloseMode = .all, promise: EventLoopPromise<Void>?) {
        if state == .active {
            ERR_clear_error()
            _ = SSL_shutdown(connection.ssl)  // queues close_notify; we do not wait for the peer's
            ERR_clear_error()
            sendCiphertext(context: context, flush: true)
        }
        state = .closed
        failBufferedWrites(ChannelError.ioOnClosedChannel)
        context.close(mode: mode, promise: promise)
    }

    private func encrypt(_ buffer: ByteBuffer, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        guard buffer.readableBytes > 0 else {
            context.write(wrapOutboundOut(buffer), promise: promise)
            return
        }
        ERR_clear_error()
        let result = buffer.withUnsafeReadableBytes { SSL_write(connection.ssl, $0.baseAddress, Int32($0.count)) }
        guard result == Int32(buffer.readableBytes) else {
            let error = TLSError.protocolError(.drainingQueue(operation: "SSL_write"))
            promise?.fail(error)
            fail(error, context: context)
            return
        }
        sendCiphertext(context: context, flush: false, promise: promise)
    }

    private func writeBufferedData(context: ChannelHandlerContext) {
        let writes = bufferedWrites
        bufferedWrites.removeAll()
        for (buffer, promise) in writes {
            if state == .active { encrypt(buffer, promise: promise, context: context) } else {
                promise?.fail(ChannelError.ioOnClosedChannel)
            }
        }
        if flushRequested {
            flushRequested = false
            context.flush()
        }
    }

    /// Writes whatever ciphertext OpenSSL produced; with a promise, the promise follows it.
    private func sendCiphertext(context: ChannelHandlerContext, flush: Bool, promise: EventLoopPromise<Void>? = nil) {
        let count = connection.pendingCiphertextCount
        if count > 0 {
            var buffer = context.channel.allocator.buffer(capacity: count)
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { connection.takeCiphertext(into: $0) }
            context.write(wrapOutboundOut(buffer), promise: promise)
        } else {
            promise?.succeed(())
        }
        if flush { context.flush() }
    }

    // MARK: Failure

    private func fail(_ error: TLSError, context: ChannelHandlerContext) {
        guard state != .closed else { return }
        state = .closed
        sendCiphertext(context: context, flush: true)  // the alert, if OpenSSL produced one
        handshakePromise?.fail(error)
        handshakePromise = nil
        failBufferedWrites(error)
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    private func failBufferedWrites(_ error: any Error) {
        let writes = bufferedWrites
        bufferedWrites.removeAll()
        for (_, promise) in writes { promise?.fail(error) }
    }
}
