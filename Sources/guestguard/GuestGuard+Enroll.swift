import ArgumentParser
import GuestGuardBoot
import GuestGuardCore
import GuestGuardPosture
import GuestGuardLinux
import GuestGuardPlatform
import Logging

extension GuestGuard {
    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add the broker's key to an existing LUKS2 volume and record it in a guestguard token.",
            discussion: """
                Checks the header as unlock would, attests and fetches the key from the broker, then adds a keyslot \
                for it (PBKDF2-SHA256, 1000 iterations: the key is high-entropy) authorised by an existing passphrase \
                (--key-file FILE, or asked for on the terminal without echo; never from the command line), and writes \
                the guestguard token (keyslot, resource, format version). Brokers and their pin or CA come from --broker or \
                --config, never from the token (its header is host-writable): an older token's broker list is dropped. Enrolling again \
                is idempotent: if the key already opens the token's keyslot, at most the token is rewritten and no \
                passphrase is needed; if the broker's key changed, a new keyslot replaces the old one.
                """
        )

        @Argument(help: "The LUKS2 device or image.")
        var device: String

        @OptionGroup var broker: BrokerTokenOptions

        @Option(name: .customLong("key-file"), help: ArgumentHelp("An existing passphrase: the whole file (default: ask on the terminal).", valueName: "FILE"))
        var keyFile: String?

        @OptionGroup var source: ReportSourceOptions

        func run() async throws {
            try ProcessHardening.setNondumpable()
            let logger = VolumeLogger.standard
            let token = try broker.token()
            let trust = try broker.broker.trust()
            let reports = try source.provider()
            let enrollment = VolumeEnrollment(volumes: CryptsetupVolumes(logger: logger), headerCheck: StandardLUKS2HeaderCheck())
            let (broker, keyFile, device) = (broker, keyFile, device)
            let outcome: VolumeEnrollment.Outcome
            do {
                outcome = try enrollment.enroll(device: CLIFiles.absolute(device), token: token, brokerKey: {
                    try broker.key(reports: reports, trust: trust)
                }, existingPassphrase: {
                    if let keyFile { return try PassphraseInput.keyFile(CLIFiles.absolute(keyFile)) }
                    return try PassphraseInput.prompt("Enter an existing passphrase for \(device): ")
                })
            } catch {
                throw CLIError(message: "\(device) not enrolled", causes: [error.description])
            }
            switch outcome.change {
            case .unchanged: print("\(device): already enrolled: the broker's key opens keyslot \(outcome.keyslot), token \(outcome.tokenID) unchanged")
            case .tokenWritten: print("\(device): the broker's key opens keyslot \(outcome.keyslot); token \(outcome.tokenID) written")
            case .keyslotAdded: print("\(device): enrolled the broker's key in keyslot \(outcome.keyslot), token \(outcome.tokenID)")
            case .keyslotReplaced(let old):
                print("\(device): enrolled the broker's new key in keyslot \(outcome.keyslot) (replaced keyslot \(old)), token \(outcome.tokenID)")
            }
            VolumeStanza.print(device: device)
        }
    }

    /// What enroll and format record in the token (the resource), and where they get the key from
    /// (``BrokerOptions``: never written into the token, whose header is host-writable).
    struct BrokerTokenOptions: ParsableArguments {
        @OptionGroup var broker: BrokerOptions

        @Option(help: ArgumentHelp("The disk key's resource path (recorded in the token).", valueName: "REPO/TYPE/TAG"))
        var resource: String

        /// The token to write (its keyslot is filled in by the use case): keyslot and resource only.
        func token() throws -> GuestGuardToken {
            let token = GuestGuardToken(keyslot: 0, resource: resource)
            // The token must read back as unlock will read it.
            do { _ = try GuestGuardToken(jsonText: token.jsonText) } catch { throw CLIError(message: "cannot record resource \(resource)", causes: [error.description]) }
            return token
        }

        /// The broker's key for this resource, through the one broker path.
        func key(reports: any AttestationReportProvider, trust: BrokerTrust) throws -> SecretBytes {
            try BrokerKey.fetch(trust: trust, resource: resource, reports: reports, warn: Unlock.warn)
        }
    }
}
