import GuestGuardHTTP
import GuestGuardPlatform
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `guestguard serve` assembled: the endpoints, a TCP listener and/or the unix socket, the
/// refresher, the posture source's own service (if it has one) and systemd notification, run
/// as one `ServiceGroup` that shuts down gracefully on SIGTERM and SIGINT.
///
/// `start()` binds the listeners (so errors surface before systemd hears READY=1); `run()` runs
/// the group until shutdown.
public final class PostureDaemon: Sendable {
    public let endpoints: PostureEndpoints
    let servers: [HTTPServer]
    let services: [any Service]
    let logger: Logger
    /// What `start()` bound, for the READY status line.
    let bound = BoundAddresses()

    /// - Parameters:
    ///   - sourceService: the source's own loop (`MonitorPostureSource`: the watcher), run in the group.
    public init(configuration: PostureDaemonConfiguration, source: any PostureSource, sourceService: (any Service)?,
                provider: any AttestationReportProvider, notifier: SystemdNotifier, clock: any WallClock,
                version: String, logger: Logger) async throws(PostureServiceError) {
        endpoints = try PostureEndpoints(initial: await source.snapshot(), provider: provider, settings: configuration.attestation,
                                         clock: clock, version: version, logger: logger)
        let router = endpoints.router()
        var servers: [HTTPServer] = []
        var addresses: [HTTPServerAddress] = []
        if let listen = configuration.listen { addresses.append(listen) }
        if let socketPath = configuration.socketPath { addresses.append(.unixSocket(path: socketPath)) }
        for address in addresses {
            do {
                servers.append(try HTTPServer(configuration: HTTPServerConfiguration(address: address, limits: configuration.limits),
                                              router: router, logger: logger, eventLoopGroup: Self.eventLoopGroup))
            } catch { throw .listener(error) }
        }
        self.servers = servers
        self.logger = logger
        var services: [any Service] = servers.map { HTTPServerService(server: $0) }
        services.append(PostureRefreshService(source: source, endpoints: endpoints, interval: configuration.refreshInterval, logger: logger))
        if let sourceService { services.append(sourceService) }
        services.append(SystemdService(notifier: notifier, status: { [bound] in "serving \(bound.value.map(\.description).joined(separator: ", "))" },
                                       isAlive: { await Self.eventLoopsRespond() }, logger: logger))
        self.services = services
    }

    /// Binds every listener; returns the bound addresses (real ports for port 0), TCP first.
    @discardableResult
    public func start() async throws(PostureServiceError) -> [HTTPServerAddress] {
        var addresses: [HTTPServerAddress] = []
        for server in servers {
            do { addresses.append(try await server.start()) } catch {
                for started in servers { await started.shutdown() }
                throw .listener(error)
            }
        }
        bound.value = addresses
        return addresses
    }

    /// Runs until SIGTERM/SIGINT (graceful) or until a service fails.
    public func run() async throws {
        try await start()
        try await serviceGroup(gracefulShutdownSignals: [.sigterm, .sigint]).run()
    }

    /// The group, for callers that trigger shutdown themselves (tests).
    public func serviceGroup(gracefulShutdownSignals: [UnixSignal]) -> ServiceGroup {
        ServiceGroup(configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
    }

    /// The listeners' one event loop thread: a few requests a second need no more, and every further thread
    /// costs resident memory (its stack and malloc arena; issue 14's serve RSS goal).
    static let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Each event loop runs a no-op task: a wedged loop never answers, so no watchdog ping goes out.
    static func eventLoopsRespond() async -> Bool {
        for loop in eventLoopGroup.makeIterator() {
            guard (try? await loop.submit({}).get()) != nil else { return false }
        }
        return true
    }
}
