#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import GuestGuardHTTP
import GuestGuardLinux
import KeyBrokerServer
import Logging

extension GuestGuardBroker {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve /kbs/v0/auth, /kbs/v0/attest, /kbs/v0/resource/…, /healthz and /metrics.",
            discussion: """
                Sessions live in this process (default 5 minutes, nonces single-use). Several replicas behind \
                a load balancer share only the --data directory and need cookie affinity on kbs-session-id. \
                Every release and refusal is a JSON audit line (never the key) on standard output and in --audit FILE.
                """
        )

        @Option(help: ArgumentHelp("Address to listen on (IPv4, [IPv6] or a host name, with a port; port 0 picks one).", valueName: "ADDR:PORT"))
        var listen: String = "127.0.0.1:8080"

        @OptionGroup var data: DataOptions

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

        func validate() throws {
            guard (tlsCertificate == nil) == (tlsKey == nil) else { throw ValidationError("give both --tls-cert and --tls-key, or neither") }
            guard (10...86_400).contains(sessionLifetime) else { throw ValidationError("--session-lifetime must be 10…86400 seconds") }
        }

        func run() async throws {
            var logger = Logger(label: "guestguard-broker")
            logger.logLevel = .info
            let address = try Self.address(listen)
            var configuration = HTTPServerConfiguration(address: address)
            configuration.limits.maxBodyBytes = maxBody
            if let tlsCertificate, let tlsKey {
                configuration.tls = try TLSServerConfiguration(certificateChainFile: tlsCertificate, privateKeyFile: tlsKey)
            }
            let service = KeyBrokerService(store: data.store, sealer: JWEResourceSealer(), audit: try FileAuditSink(path: audit, echo: true),
                                           clock: SystemClock(), random: GetrandomSource(), sessions: BrokerSessionStore(lifetime: sessionLifetime))
            let server = try HTTPServer(configuration: configuration, router: service.router(), logger: logger)
            let bound = try await server.start()
            // Unbuffered, so a supervisor or a test reading the pipe sees it at once.
            let line = "guestguard-broker listening on \(configuration.tls == nil ? "http" : "https")://\(bound) (data \(data.directory))\n"
            _ = Array(line.utf8).withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            try await server.run()
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
