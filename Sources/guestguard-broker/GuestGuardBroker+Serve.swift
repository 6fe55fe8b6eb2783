import ArgumentParser
import GuestGuardHTTP
import GuestGuardLinux
import KeyBrokerServer
import Logging
import UnixSignals

extension GuestGuardBroker {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve /kbs/v0/auth, /kbs/v0/attest, /kbs/v0/resource/…, /healthz and /metrics.",
            discussion: """
                With --data, sessions live in this process (default 5 minutes, nonces single-use): several replicas \
                behind a load balancer share the directory and need cookie affinity on kbs-session-id. With \
                --store postgres://…, sessions and nonces live in PostgreSQL: replicas are stateless, any step may \
                land on any replica, and a nonce is consumed atomically by exactly one. \
                Every release and refusal is a JSON audit line (never the key) on standard output and in --audit FILE. \
                /auth and /attest are rate-limited per client address (IPv6: per /64) with --client-burst and \
                --client-rate (429 and Retry-After beyond); at --max-sessions live sessions /auth answers 429. \
                Evidence without cert_chain gets its VCEK, ASK/ARK chain and CRL from AMD's KDS (--kds-url), cached in the store.
                """
        )

        @Option(help: ArgumentHelp("Address to listen on (IPv4, [IPv6] or a host name, with a port; port 0 picks one).", valueName: "ADDR:PORT"))
        var listen: String = "127.0.0.1:8080"

        @OptionGroup var data: DataOptions

        @OptionGroup var kdsOptions: KDSOptions

        @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Serve HTTPS with this certificate chain (PEM).", valueName: "FILE"))
        var tlsCertificate: String?

        @Option(name: .customLong("tls-key"), help: ArgumentHelp("The private key for --tls-cert (PEM).", valueName: "FILE"))
        var tlsKey: String?

        @Option(help: ArgumentHelp("Append audit lines to FILE as well.", valueName: "FILE"))
        var audit: String?

        @Option(name: .customLong("session-lifetime"), help: "Seconds an RCAR session lives.")
        var sessionLifetime: Int64 = 300

        @Option(name: .customLong("max-body"), help: "Largest request body accepted, in bytes.")
        var maxBody: Int = 1 << 20

        @Option(name: .customLong("max-sessions"), help: "Live RCAR sessions at most; beyond, /auth answers 429 (live sessions are never evicted).")
        var maxSessions: Int = 100_000

        @Option(name: .customLong("client-burst"), help: "Per client address (IPv6: /64), /auth and /attest requests allowed at once.")
        var clientBurst: Int = 20

        @Option(name: .customLong("client-rate"), help: "Per client address, sustained /auth and /attest requests per second (each); beyond: 429.")
        var clientRate: Double = 0.5

        func validate() throws {
            guard (tlsCertificate == nil) == (tlsKey == nil) else { throw ValidationError("give both --tls-cert and --tls-key, or neither") }
            guard (10...86_400).contains(sessionLifetime) else { throw ValidationError("--session-lifetime must be 10…86400 seconds") }
            guard (1...10_000_000).contains(maxSessions) else { throw ValidationError("--max-sessions must be 1…10000000") }
            guard (1...100_000).contains(clientBurst) else { throw ValidationError("--client-burst must be 1…100000") }
            guard clientRate > 0, clientRate <= 100_000 else { throw ValidationError("--client-rate must be above 0 and at most 100000") }
        }

        func run() async throws {
            var logger = Logger(label: "guestguard-broker")
            logger.logLevel = .info
            let address = try Self.address(listen)
            var configuration = HTTPServerConfiguration(address: address)
            configuration.limits.maxBodyBytes = maxBody
            // The embedded store's handshake steps never block (CPU work, page-cache reads, the audit
            // line's write(2)): they run on the connection's event loop, without a thread hand-off per request.
            if data.store == nil { configuration.handlerExecution = .eventLoop }
            if let tlsCertificate, let tlsKey {
                configuration.tls = try TLSServerConfiguration(certificateChainFile: tlsCertificate, privateKeyFile: tlsKey)
            }
            let sessions = BrokerSessionStore(lifetime: sessionLifetime, capacity: maxSessions)
            try await data.withStorage(sessions: sessions) { storage in
                // The key-id secret: made now if absent, so a store that cannot hold it fails here
                // rather than at the first release.
                do { _ = try await storage.keyIDSecret(random: GetrandomSource()) } catch {
                    throw BrokerCLIError(message: "cannot set up the key-id secret", causes: ["\(error)"])
                }
                let service = KeyBrokerService(storage: storage, trustFiles: HostFileSystem(), sealer: JWEResourceSealer(),
                                               audit: try FileAuditSink(path: audit, echo: true), clock: SystemClock(), random: GetrandomSource(),
                                               sessionLifetime: sessionLifetime, maxSessions: maxSessions,
                                               limits: BrokerLimits(auth: .init(burst: clientBurst, perSecond: clientRate),
                                                                    attest: .init(burst: clientBurst, perSecond: clientRate)),
                                               kds: try kdsOptions.make(storage: storage), revocation: kdsOptions.revocationMode)
                let server = try HTTPServer(configuration: configuration, router: service.router(), logger: logger)
                let bound = try await server.start()
                // Unbuffered, so a supervisor or a test reading the pipe sees it at once.
                let line = "guestguard-broker listening on \(configuration.tls == nil ? "http" : "https")://\(bound) (\(data.location))\n"
                OutputDescriptor.standardOutput.writeBestEffort(line)
                // SIGTERM/SIGINT drain: stop accepting (the load balancer sends new handshakes to other
                // replicas; with --store every step may go to any of them), let in-flight requests
                // finish, close the rest after the grace period.
                let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await server.run() }
                    group.addTask {
                        for await _ in signals {
                            await server.shutdown()
                            return
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }

        static func address(_ text: String) throws -> HTTPServerAddress {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
                throw ValidationError("--listen: \(String(reflecting: text)) is not ADDR:PORT")
            }
            var host = String(text[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            return .tcp(host: host.isEmpty ? "0.0.0.0" : host, port: port)
        }
    }
}
