// The servers build on the client module's messages and TLS contexts: importers of GuestGuardHTTP get both.
@_exported import GuestGuardHTTPClient
import GuestGuardLinux
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An HTTP/1.1 server (optionally over TLS) for hostile networks: every limit in
/// `HTTPServerLimits` is enforced in the channel pipeline, and a client breaking one gets a 4xx
/// and loses its connection while everyone else is served.
///
/// `start()` binds and reports the address; `run()` starts if needed and returns once the server
/// has shut down; `shutdown()` stops accepting, lets in-flight requests finish (up to the grace
/// period), closes idle connections and returns when all are closed. That is the shape
/// swift-service-lifecycle's `Service` expects.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    let router: HTTPRouter
    let logger: Logger
    let group: any EventLoopGroup
    let tlsContext: TLSContext?
    let registry: ConnectionRegistry
    private let state = Mutex(LifecycleState.idle)
    private let shutdownComplete: EventLoopPromise<Void>

    private enum LifecycleState {
        case idle
        case starting
        case running(channel: any Channel, address: HTTPServerAddress, socketInode: UInt64?)
        case shuttingDown
        case shutDown
    }

    /// Loads the TLS identity, if any, so that configuration errors surface here.
    public init(
        configuration: HTTPServerConfiguration, router: HTTPRouter, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(HTTPServerError) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.group = eventLoopGroup
        do { tlsContext = try configuration.tls.map { tls throws(TLSError) in try TLSContext.server(tls) } } catch {
            throw .tls(error)
        }
        registry = ConnectionRegistry(maxConnections: configuration.limits.maxConnections)
        shutdownComplete = eventLoopGroup.any().makePromise(of: Void.self)
    }

    deinit {
        // A server that was never started (or failed to bind) has nothing to wait for.
        shutdownComplete.succeed(())
    }

    /// Binds the listening socket and returns the address actually bound (with the real port
    /// when port 0 was asked for). Calling it again returns the same address.
    @discardableResult
    public func start() async throws(HTTPServerError) -> HTTPServerAddress {
        let proceed = try state.withLock { state throws(HTTPServerError) -> HTTPServerAddress? in
            switch state {
            case .idle:
                state = .starting
                return nil
            case .running(_, let address, _): return address
            case .starting: throw .bindFailed(address: configuration.address, reason: "start() is already in progress")
            case .shuttingDown, .shutDown: throw .alreadyShutDown
            }
        }
        if let proceed { return proceed }
        do throws(HTTPServerError) {
            let (channel, address, inode) = try await bind()
            let stillStarting = state.withLock { state -> Bool in
                guard case .starting = state else { return false }
                state = .running(channel: channel, address: address, socketInode: inode)
                return true
            }
            guard stillStarting else {
                try? await channel.close()
                if case .unixSocket(let path) = address, let inode { UnixSocketPath.remove(path: path, inode: inode) }
                throw HTTPServerError.alreadyShutDown
            }
            logger.info("listening", metadata: ["address": "\(address)", "tls": "\(tlsContext != nil)"])
            return address
        } catch {
            state.withLock { state in
                if case .starting = state { state = .idle }
            }
            throw error
        }
    }

    /// Starts if needed and returns once the server has shut down (after `shutdown()`, or when
    /// the calling task is cancelled, which starts a graceful shutdown).
    public func run() async throws(HTTPServerError) {
        try await start()
        await withTaskCancellationHandler {
            _ = try? await shutdownComplete.futureResult.get()
        } onCancel: {
            Task { await self.shutdown() }
        }
    }

    /// Stops accepting, asks every connection to finish its current request and close, forces
    /// the rest closed after `shutdownGracePeriod`, and returns when none is left.
    public func shutdown() async {
        let previous = state.withLock { state -> LifecycleState in
            let previous = state
            switch state {
            case .idle, .starting: state = .shutDown
            case .running: state = .shuttingDown
            case .shuttingDown, .shutDown: break
            }
            return previous
        }
        switch previous {
        case .idle, .starting:
            shutdownComplete.succeed(())
        case .shuttingDown, .shutDown:
            _ = try? await shutdownComplete.futureResult.get()
        case .running(let channel, let address, let inode):
            try? await channel.close()
            if case .unixSocket(let path) = address, let inode {
                UnixSocketPath.remove(path: path, inode: inode)
            }
            let open = registry.beginQuiescing()
            logger.info("shutting down", metadata: ["address": "\(address)", "connections": "\(open.count)"])
            for connection in open {
                connection.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            }
            let grace = TimeAmount(configuration.limits.shutdownGracePeriod)
            let forceClose = group.any().scheduleTask(in: grace) {
                for connection in open { connection.close(promise: nil) }
            }
            await registry.waitUntilDrained()
            forceClose.cancel()
            state.withLock { $0 = .shutDown }
            shutdownComplete.succeed(())
        }
    }

    /// Connections open right now.
    public var openConnectionCount: Int { registry.count }
}
