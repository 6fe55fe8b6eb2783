import ArgumentParser
import GuestGuardBoot
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
                backoff and jitter, a broker's refusal is reported with its problem type and detail. Brokers are https with a \
                pin: --broker-ca (a CA the broker's chain must lead to) or --broker-pin (SHA-256 of its certificate's \
                public key), or without --broker those of --config (default /etc/guestguard/guestguard.toml); the system \
                trust store is never used. Sealing the key to the guest's ephemeral key gives secrecy, not origin: only \
                the pin says the key comes from the tenant's broker.
                """
        )

        @OptionGroup var broker: BrokerOptions

        @Option(help: ArgumentHelp("Resource path.", valueName: "REPO/TYPE/TAG"))
        var resource: String

        @Option(help: ArgumentHelp("Write the resource to FILE (mode 0600), or - for standard output.", valueName: "FILE|-"))
        var out: String = "-"

        @Flag(help: "Use an RSA-2048 ephemeral key (RSA-OAEP-256) instead of P-256 (ECDH-ES+A256KW).")
        var rsa = false

        @Option(help: "Rounds over the broker list.")
        var attempts: Int = 3

        @Option(help: "Per-request timeout in seconds.")
        var timeout: Int = 30

        @OptionGroup var source: ReportSourceOptions

        @OptionGroup var tpm: TPMArguments

        func run() async throws {
            try ProcessHardening.setNondumpable()
            let trust = try broker.trust()
            let tuning = BrokerTuning(requestTimeout: .seconds(timeout), retry: .brokerRounds(attempts: attempts), keyType: rsa ? .rsa2048 : .p256,
                                      additionalEvidence: try tpm.options.provider())
            let secret: SecretBytes
            do {
                secret = try BrokerKey.fetch(trust: trust, resource: resource, reports: try source.provider(), warn: Unlock.warn, tuning: tuning)
            } catch {
                throw CLIError(message: "no resource \(resource)", causes: ["\(error)"])
            }
            if out == "-" {
                do {
                    try secret.withUnsafeBytes { (bytes) throws(PlatformError) in try OutputDescriptor.standardOutput.writeAll(bytes) }
                } catch {
                    throw CLIError(message: "cannot write resource \(resource) to standard output", causes: ["\(error)"])
                }
            } else {
                try CLIFiles.write(out, secret, mode: 0o600)
                FileHandleStandardError.write("wrote \(secret.count) bytes to \(out)\n")
            }
        }
    }
}
