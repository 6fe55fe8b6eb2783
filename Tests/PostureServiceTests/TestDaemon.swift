import GuestGuardHTTP
import GuestGuardLinux
import GuestGuardPlatform
import GuestGuardTestSupport
import KeyBrokerTestSupport
import Logging
import PostureService
import SNPSimulator
import ServiceLifecycle

/// A `PostureDaemon` on 127.0.0.1:0 and a unix socket in a fresh directory, its service group
/// running in a task, backed by the shared simulated secure processor.
final class TestDaemon {
    let daemon: PostureDaemon
    let group: ServiceGroup
    let runTask: Task<Void, any Error>
    let port: Int
    let socketPath: String
    let directory: TemporaryFileTree
    let processor: SimulatedSecureProcessor

    init(source: any PostureSource, attestation: PostureEndpoints.AttestationSettings = .init(), limits: HTTPServerLimits? = nil,
         notifier: SystemdNotifier = SystemdNotifier(environment: [:]), refreshInterval: Duration = .milliseconds(50),
         provider: (any AttestationReportProvider)? = nil) async throws {
        directory = TemporaryFileTree(prefix: "gg-serve")
        socketPath = directory.root + "/posture.sock"
        processor = try SharedSimulator.processor(files: directory.fileSystem)
        var configuration = PostureDaemonConfiguration(listen: .tcp(host: "127.0.0.1", port: 0), socketPath: socketPath,
                                                       refreshInterval: refreshInterval, attestation: attestation)
        if let limits { configuration.limits = limits }
        var logger = Logger(label: "test-serve")
        logger.logLevel = .critical
        daemon = try await PostureDaemon(configuration: configuration, source: source, sourceService: nil,
                                         provider: provider ?? SimulatedReportProvider(processor: processor), notifier: notifier,
                                         clock: RecordingClock(now: Timestamp(seconds: 1_795_000_100), sleepsForReal: true), version: "test", logger: logger)
        let bound = try await daemon.start()
        guard case .tcp(_, let boundPort) = bound.first else { throw TestDaemonError.noPort }
        port = boundPort
        group = daemon.serviceGroup(gracefulShutdownSignals: [])
        runTask = Task { [group] in try await group.run() }
    }

    var tcp: RawHTTP { RawHTTP(endpoint: .tcp(port: port)) }
    var unix: RawHTTP { RawHTTP(endpoint: .unix(path: socketPath)) }
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Graceful shutdown; returns when the group has finished.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await runTask.value
    }

    enum TestDaemonError: Error { case noPort }
}
