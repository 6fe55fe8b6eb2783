#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import GuestGuardCore
import GuestGuardHTTP
import GuestGuardLinux
import Logging
import PostureService

extension GuestGuard {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the posture, read-only: /healthz, /v1/posture, /v1/attestation, /metrics (docs/serve.md).",
            discussion: """
                The posture is evaluated every --interval seconds, never per request. /v1/attestation?nonce=B64URL \
                returns a fresh SNP report whose REPORT_DATA = SHA-384(nonce ‖ SHA-384(document)) ‖ 0¹⁶, with the \
                certificates and the document (rate-limited). The same API is served to root on a unix socket, which \
                `guestguard status` reads. Under systemd use Type=notify: READY=1 once listening, WATCHDOG=1 every \
                half WatchdogSec, STOPPING=1 on SIGTERM, which shuts down gracefully.
                """
        )

        @Option(help: ArgumentHelp("TCP address to listen on (port 0 picks one; empty: no TCP listener).", valueName: "ADDR:PORT"))
        var listen: String = "0.0.0.0:8787"

        @Option(help: ArgumentHelp("Root-only unix socket (mode 0600; empty: none).", valueName: "PATH"))
        var socket: String = PostureSocketClient.defaultSocketPath

        @Option(help: ArgumentHelp("Deny policy (issue 7); enforcement is wired by the watcher, not yet by this command.", valueName: "FILE"))
        var policy: String?

        @Flag(name: .customLong("no-enforce"), help: "Only report drift; never re-enforce the deny policy.")
        var noEnforce = false

        @Option(help: "Seconds between posture evaluations.")
        var interval: Int = 30

        @Option(name: .customLong("attestation-burst"), help: "Attestation reports allowed in a burst.")
        var attestationBurst: Int = 5

        @Option(name: .customLong("attestation-rate"), help: "Attestation reports per second, sustained.")
        var attestationRate: Double = 1

        @Option(help: "VMPL of the attestation reports (0–3, at least the guest's own).")
        var vmpl: UInt32 = 0

        @OptionGroup var source: ReportSourceOptions
        @OptionGroup var environment: EnvironmentOptions

        func validate() throws {
            guard listen.isEmpty || HTTPServerAddress(listening: listen) != nil else {
                throw ValidationError("--listen: \(String(reflecting: listen)) is not ADDR:PORT")
            }
            guard !listen.isEmpty || !socket.isEmpty else { throw ValidationError("give --listen or --socket (or both)") }
            guard (1...86_400).contains(interval) else { throw ValidationError("--interval must be 1…86400 seconds") }
            guard (1...1000).contains(attestationBurst), attestationRate > 0, attestationRate <= 1000 else {
                throw ValidationError("--attestation-burst must be 1…1000 and --attestation-rate in (0, 1000]")
            }
            guard vmpl <= 3 else { throw ValidationError("--vmpl must be 0–3") }
        }

        func run() async throws {
            var logger = Logger(label: "guestguard-serve")
            logger.logLevel = .info
            if let policy { _ = try CLIFiles.read(policy, option: "--policy", limit: 1 << 20) }
            let env = try environment.detectionEnvironment()
            // The memory encryption mode cannot change while the VM runs: detect once.
            let context = PostureContext(files: env.files, detection: EncryptionModeDetector().detect(env))
            let clock = SystemClock()
            let posture = await PeriodicPostureSource(interval: .seconds(interval)) {
                StatusReport.evaluate(context: context, at: clock.now())
            }
            let socketPath = socket.isEmpty ? nil : CLIFiles.absolute(socket)
            if let socketPath { try Self.makeSocketDirectory(for: socketPath) }
            let configuration = PostureDaemonConfiguration(
                listen: listen.isEmpty ? nil : HTTPServerAddress(listening: listen), socketPath: socketPath,
                attestation: .init(burst: attestationBurst, perSecond: attestationRate, vmpl: vmpl))
            let daemon: PostureDaemon
            let bound: [HTTPServerAddress]
            do {
                daemon = try await PostureDaemon(configuration: configuration, source: posture, sourceService: posture, provider: try source.provider(),
                                                 notifier: .fromProcessEnvironment(), clock: clock, version: GuestGuardVersion.string, logger: logger)
                bound = try await daemon.start()
            } catch let error as PostureServiceError {
                throw CLIError(message: "guestguard serve cannot start", causes: [error.description])
            }
            let names = bound.map { address -> String in
                if case .tcp = address { return "http://\(address)" }
                return "\(address)"
            }
            let enforcement = policy.map { " (deny policy \($0), \(noEnforce ? "report only" : "not enforced by serve yet"))" } ?? ""
            // Unbuffered, so a supervisor or a test reading the pipe sees it at once.
            let line = "guestguard serve listening on \(names.joined(separator: " and "))\(enforcement)\n"
            _ = Array(line.utf8).withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            try await daemon.run()
            logger.info("stopped")
        }

        /// Creates the socket's directory (mode 0755) when it is missing, e.g. /run/guestguard.
        static func makeSocketDirectory(for path: String) throws {
            guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
            let directory = String(path[..<slash])
            if !CLIFiles.files.exists(directory) { try CLIFiles.makeDirectory(directory) }
        }
    }
}
