#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import GuestGuardHTTP
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerClient
import KeyBrokerJWE

extension GuestGuard {
    struct GetResource: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get-resource",
            abstract: "Fetch a resource from a key broker with SNP evidence (Trustee KBS 0.4.0 RCAR, like trustee-attester get-resource).",
            discussion: """
                Runs /auth → /attest (a fresh report whose REPORT_DATA binds the broker's nonce and an ephemeral key) \
                → /resource, and decrypts the JWE. Brokers are tried in order; transient failures are retried with \
                backoff and jitter, a broker's refusal is reported with its problem type and detail. HTTPS needs a pin: \
                --broker-ca (a CA the broker's chain must lead to) or --broker-pin (SHA-256 of its certificate's \
                public key); the system trust store is never used.
                """
        )

        @Option(name: .customLong("broker"), help: ArgumentHelp("Broker base URL (repeatable; tried in order).", valueName: "URL"))
        var brokers: [String] = []

        @Option(help: ArgumentHelp("Resource path.", valueName: "REPO/TYPE/TAG"))
        var resource: String

        @Option(help: ArgumentHelp("Write the resource to FILE (mode 0600), or - for standard output.", valueName: "FILE|-"))
        var out: String = "-"

        @Option(name: .customLong("broker-ca"), help: ArgumentHelp("Pinned CA (PEM) for https brokers.", valueName: "FILE"))
        var brokerCA: String?

        @Option(name: .customLong("broker-pin"), help: ArgumentHelp("Pinned SHA-256 of the broker certificate's SubjectPublicKeyInfo (hex).", valueName: "HEX"))
        var brokerPin: String?

        @Flag(help: "Use an RSA-2048 ephemeral key (RSA-OAEP-256) instead of P-256 (ECDH-ES+A256KW).")
        var rsa = false

        @Option(help: "Rounds over the broker list.")
        var attempts: Int = 3

        @Option(help: "Per-request timeout in seconds.")
        var timeout: Int = 30

        @OptionGroup var source: ReportSourceOptions

        @OptionGroup var tpm: TPMOptions

        func validate() throws {
            guard !brokers.isEmpty else { throw ValidationError("give at least one --broker URL") }
            guard brokerCA == nil || brokerPin == nil else { throw ValidationError("give --broker-ca or --broker-pin, not both") }
            if brokers.contains(where: { $0.lowercased().hasPrefix("https:") }), brokerCA == nil, brokerPin == nil {
                throw ValidationError("https brokers need --broker-ca or --broker-pin (the system trust store is not used)")
            }
        }

        func run() async throws {
            guestguard_set_nondumpable_checked()
            let tls = try BrokerTLS.configuration(caFile: brokerCA, pin: brokerPin)
            let http = try HTTPClient(configuration: HTTPClientConfiguration(tls: tls, requestTimeout: .seconds(timeout), userAgent: "guestguard/\(GuestGuardVersion.string)"))
            defer { http.shutdown() }
            let useRSA = rsa
            var client = KeyBrokerClient(brokers: brokers, transport: HTTPKBSTransport(client: http), reports: try source.provider(),
                                         clock: SystemClock(), random: GetrandomSource(), retry: RetryPolicy(attempts: attempts)) {
                try EphemeralKeyPair(useRSA ? .rsa2048 : .p256)
            }
            client.additionalEvidence = try tpm.provider()
            let secret: SecretBytes
            do { secret = try await client.fetch(resource: resource) } catch {
                throw CLIError(message: "no resource \(resource)", causes: [error.description])
            }
            if out == "-" {
                secret.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
            } else {
                try secret.withUnsafeBytes { try CLIFiles.write(out, Array($0), mode: 0o600) }
                FileHandleStandardError.write("wrote \(secret.count) bytes to \(out)\n")
            }
        }
    }
}

import CGuestGuardLinux

/// Marks the process non-dumpable before any key material exists (no core dump, no ptrace).
func guestguard_set_nondumpable_checked() { _ = guestguard_set_nondumpable() }

/// Standard error without Foundation.
enum FileHandleStandardError {
    static func write(_ text: String) { _ = Array(text.utf8).withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) } }
}
