import ArgumentParser
import GuestGuardBoot
import GuestGuardCore
import GuestGuardDetection
import GuestGuardPosture
import GuestGuardHTTP
import GuestGuardLinux
import GuestGuardLinuxProcesses
import GuestGuardPlatform
import Logging
import PostureService

extension GuestGuard {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the posture, read-only: /healthz, /v1/posture, /v1/attestation, /metrics (docs/serve.md).",
            discussion: """
                The posture is re-checked on inotify events and every --interval seconds, never per request; with --policy FILE drifted settings are put back (--no-enforce: only recorded). /v1/attestation?nonce=B64URL \
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

        @Option(help: ArgumentHelp("Deny policy to keep enforced (docs/deny.md). Without it, channels.md §10's defaults are reported, never enforced.", valueName: "FILE"))
        var policy: String?

        @Flag(name: .customLong("no-enforce"), help: "Only report drift; never re-enforce the deny policy.")
        var noEnforce = false

        @Option(help: "Seconds between full re-checks (default: the policy's interval, 30); inotify events trigger one at once.")
        var interval: Int?

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
            guard interval.map({ (1...86_400).contains($0) }) ?? true else { throw ValidationError("--interval must be 1…86400 seconds") }
            guard (1...1000).contains(attestationBurst), attestationRate > 0, attestationRate <= 1000 else {
                throw ValidationError("--attestation-burst must be 1…1000 and --attestation-rate in (0, 1000]")
            }
            guard vmpl <= 3 else { throw ValidationError("--vmpl must be 0–3") }
        }

        func run() async throws {
            // Two malloc arenas for the daemon's threads keep its resident memory flat (issue 14).
            ResidentMemory.limitMallocArenas(to: 2)
            var logger = Logger(label: "guestguard-serve")
            logger.logLevel = .info
            let env = try environment.detectionEnvironment()
            // Enforcement only with an explicit --policy: a daemon started by hand (or by a test, or
            // a benchmark) on someone's machine must not mask its units.
            var denyPolicy = policy == nil ? DenyPolicy.standard : try DenyPolicyFile.load(option: policy, files: env.files, checkOwner: environment.root.isEmpty)
            if let interval { denyPolicy = DenyPolicy(modes: denyPolicy.modes, intervalSeconds: interval) }
            let enforce = policy != nil && !noEnforce
            // The memory encryption mode cannot change while the VM runs: detect once.
            let detection = EncryptionModeDetector().detect(env)
            let clock = SystemClock()
            let notifier: (any ChangeNotifier)?
            do { notifier = try InotifyChangeNotifier(root: environment.root) } catch {
                logger.warning("no inotify (\(error)); re-checking every \(denyPolicy.intervalSeconds) s only")
                notifier = nil
            }
            // Under --root (tests, offline trees) kernel attributes are plain files: write them as `deny --root` does.
            let monitorFiles: any FileSystem = environment.root.isEmpty ? env.files : OfflineTreeFileSystem(root: environment.root)
            let monitor = PostureMonitor(configuration: .init(policy: denyPolicy, enforce: enforce), files: monitorFiles,
                                         services: SystemctlServiceManager(root: environment.root),
                                         notifier: notifier, clock: clock, detection: detection)
            let posture = MonitorPostureSource(monitor: monitor)
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
            let enforcement = " (deny policy \(policy ?? "defaults"), \(enforce ? "enforced" : "report only"))"
            // Unbuffered, so a supervisor or a test reading the pipe sees it at once.
            let line = "guestguard serve listening on \(names.joined(separator: " and "))\(enforcement)\n"
            OutputDescriptor.standardOutput.writeBestEffort(line)
            // Start-up touched most of the executable (parsing, detection, the first posture, the services'
            // start); serving needs a fraction of it: once that has settled, give the read-only file pages back,
            // the request path faults its own in (issue 14).
            let release = Task {
                try await Task.sleep(for: .seconds(5))
                ResidentMemory.releaseReadOnlyFilePages()
            }
            defer { release.cancel() }
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
