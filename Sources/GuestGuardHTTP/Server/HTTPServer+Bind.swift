import GuestGuardLinux
import GuestGuardPlatform
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

extension HTTPServer {
    /// Binds the listening socket. For a unix socket, also installs it at its path (mode 0600).
    func bind() async throws(HTTPServerError) -> (any Channel, HTTPServerAddress, UInt64?) {
        let limits = configuration.limits
        let isTCP: Bool
        if case .tcp = configuration.address { isTCP = true } else { isTCP = false }
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 4)
            .childChannelInitializer { [registry, router, logger, tlsContext, execution = configuration.handlerExecution] channel in
                guard registry.admit(channel) else {
                    logger.debug("connection refused: at the connection limit", metadata: ["limit": "\(limits.maxConnections)"])
                    return channel.close()
                }
                return channel.eventLoop.makeCompletedFuture {
                    try Self.configurePipeline(channel, limits: limits, router: router, tls: tlsContext, logger: logger,
                                               handlerExecution: execution)
                }
            }
        if isTCP {
            bootstrap = bootstrap
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
        }
        switch configuration.address {
        case .tcp(let host, let port):
            do {
                let channel = try await bootstrap.bind(host: host, port: port).get()
                let boundPort = channel.localAddress?.port ?? port
                return (channel, .tcp(host: host, port: boundPort), nil)
            } catch {
                throw .bindFailed(address: configuration.address, reason: "\(error)")
            }
        case .unixSocket(let path):
            let socketPath: UnixSocketPath
            do { socketPath = try UnixSocketPath(path: path) } catch { throw Self.socketPathError(error, path: path) }
            let channel: any Channel
            do {
                channel = try await bootstrap.bind(unixDomainSocketPath: socketPath.stagingPath).get()
            } catch {
                socketPath.abandon()
                throw .bindFailed(address: configuration.address, reason: "\(error)")
            }
            do throws(HTTPServerError) {
                let inode: UInt64
                do { inode = try socketPath.install() } catch { throw Self.socketPathError(error, path: path) }
                return (channel, configuration.address, inode)
            } catch {
                try? await channel.close()
                throw error
            }
        }
    }

    /// The socket path's errors as the server's: occupied by a non-socket, or the setup failed.
    static func socketPathError(_ error: PlatformError, path: String) -> HTTPServerError {
        UnixSocketPath.isOccupied(error) ? .socketPathOccupied(path: path) : .socketPathSetupFailed(error)
    }

    /// [TLS] → head limiter → HTTP decoder/encoder (+ outbound header validation) → connection.
    static func configurePipeline(
        _ channel: any Channel, limits: HTTPServerLimits, router: HTTPRouter, tls: TLSContext?, logger: Logger,
        handlerExecution: HTTPHandlerExecution = .concurrencyPool
    ) throws {
        let pipeline = channel.pipeline.syncOperations
        if let tls {
            try pipeline.addHandler(OpenSSLHandler(connection: try TLSConnection(context: tls, peerName: nil)))
        }
        let limiter = RequestHeadLimiter(limit: limits.maxHeadBytes)
        try pipeline.addHandler(limiter)
        try pipeline.configureHTTPServerPipeline(
            position: .last, withPipeliningAssistance: false, withServerUpgrade: nil, withErrorHandling: false)
        try pipeline.addHandler(HTTPServerConnectionHandler(limits: limits, router: router, limiter: limiter, logger: logger,
                                                                 handlerExecution: handlerExecution))
    }
}
