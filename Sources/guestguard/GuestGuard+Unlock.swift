import ArgumentParser
import GuestGuardCore
import GuestGuardHTTP
import GuestGuardLinux
import GuestGuardPlatform
import KeyBrokerClient
import KeyBrokerJWE
import Logging

extension GuestGuard {
    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unlock a LUKS2 volume with a key released against SNP evidence (or an injected SEV launch secret).",
            discussion: """
                The header is copied into /run/guestguard (tmpfs) and validated from that copy before any key is \
                requested: cipher allow-list, no cipher_null, KDF bounds, keyslot areas inside the header, one crypt \
                segment, the guestguard token naming only its own keyslot. The key is then fetched from the brokers \
                the token names (or taken from the efi_secret launch secret with --launch-secret), the token's keyslot \
                is opened through the validated copy, and the copy is removed. The process is non-dumpable and the key \
                stays in locked memory.
                """
        )

        @Argument(help: "The LUKS2 device or image.")
        var device: String

        @Option(help: "Device-mapper name to activate.")
        var name: String?

        @Flag(name: .customLong("verify-only"), help: "Only check that the key opens the volume (no device-mapper needed).")
        var verifyOnly = false

        @Flag(name: .customLong("launch-secret"), help: "Use the SEV/SEV-ES launch secret 736869e5-… from /sys/kernel/security/secrets/coco.")
        var launchSecret = false

        @Option(name: .customLong("broker-ca"), help: ArgumentHelp("Pinned CA (PEM) for https brokers (overrides the token's pin).", valueName: "FILE"))
        var brokerCA: String?

        @Option(name: .customLong("broker-pin"), help: ArgumentHelp("Pinned SHA-256 of the broker's SubjectPublicKeyInfo (overrides the token's pin).", valueName: "HEX"))
        var brokerPin: String?

        @Option(name: .customLong("header-copies"), help: ArgumentHelp("Directory (tmpfs) for the validated header copy.", valueName: "DIR"))
        var headerCopies: String = "/run/guestguard"

        @OptionGroup var source: ReportSourceOptions

        @OptionGroup var tpm: TPMOptions

        func validate() throws {
            guard verifyOnly != (name != nil) else { throw ValidationError("give --name NAME to activate, or --verify-only") }
        }

        func run() async throws {
            guestguard_set_nondumpable_checked()
            var logger = Logger(label: "guestguard")
            logger.logLevel = .warning
            let files = HostFileSystem()
            let unlock = VolumeUnlock(volumes: CryptsetupVolumes(logger: logger), headerCheck: StandardLUKS2HeaderCheck(), files: files,
                                      random: GetrandomSource(), copyDirectory: CLIFiles.absolute(headerCopies))
            let measured = try UnlockTPMMeasurement(options: tpm, directory: CLIFiles.absolute(headerCopies))
            let keySource: VolumeUnlock.KeySource
            if launchSecret {
                keySource = .launchSecret(LaunchSecret(files: files))
            } else {
                let reports = measured.recording(try source.provider())
                let (ca, pin) = (brokerCA, brokerPin)
                keySource = .broker { token in
                    // Command-line pins override the token's (the header is host-controlled).
                    let tls = try BrokerTLS.configuration(caFile: ca, caPEM: pin == nil ? token.brokerCA : nil, pin: pin ?? token.brokerPin)
                    let http = try HTTPClient(configuration: HTTPClientConfiguration(tls: tls))
                    defer { http.shutdown() }
                    let client = KeyBrokerClient(brokers: token.brokers, transport: HTTPKBSTransport(client: http), reports: reports,
                                                 clock: SystemClock(), random: GetrandomSource()) { try EphemeralKeyPair() }
                    return try await measured.fetch(client, resource: token.resource)
                }
            }
            do {
                let outcome = try await unlock.unlock(device: CLIFiles.absolute(device), name: verifyOnly ? nil : name, keySource: keySource)
                let slot = outcome.keyslot.map { "keyslot \($0)" } ?? "a keyslot"
                print(verifyOnly ? "\(device): the key opens \(slot) (verified, not activated)" : "\(device): unlocked \(slot) as /dev/mapper/\(name!)")
            } catch {
                throw CLIError(message: "\(device) not unlocked", causes: [error.description])
            }
            if let line = try measured.extendAfterUnlock() { print(line) }
        }
    }
}
