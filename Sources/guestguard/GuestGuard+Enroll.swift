import ArgumentParser
import GuestGuardCore
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
                the guestguard token (keyslot, brokers, resource, broker pin or CA, format version). Enrolling again \
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
            guestguard_set_nondumpable_checked()
            let logger = GuestGuard.volumeLogger
            let token = try broker.token()
            let reports = try source.provider()
            let enrollment = VolumeEnrollment(volumes: CryptsetupVolumes(logger: logger), headerCheck: StandardLUKS2HeaderCheck())
            let (ca, pin, keyFile, device) = (broker.brokerCA, broker.brokerPin, keyFile, device)
            let outcome: VolumeEnrollment.Outcome
            do {
                outcome = try await enrollment.enroll(device: CLIFiles.absolute(device), token: token, brokerKey: {
                    try await GuestGuard.brokerKey(token: token, caFile: ca, pin: pin, reports: reports)
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

    /// Where the key comes from, as enroll and format record it in the token.
    struct BrokerTokenOptions: ParsableArguments {
        @Option(name: .customLong("broker"), help: ArgumentHelp("Broker base URL (repeatable; tried in order).", valueName: "URL"))
        var brokers: [String] = []

        @Option(help: ArgumentHelp("The disk key's resource path.", valueName: "REPO/TYPE/TAG"))
        var resource: String

        @Option(name: .customLong("broker-ca"), help: ArgumentHelp("Pinned CA (PEM) for https brokers; stored in the token.", valueName: "FILE"))
        var brokerCA: String?

        @Option(name: .customLong("broker-pin"), help: ArgumentHelp("Pinned SHA-256 of the broker's SubjectPublicKeyInfo (hex); stored in the token.", valueName: "HEX"))
        var brokerPin: String?

        func validate() throws {
            guard !brokers.isEmpty else { throw ValidationError("give at least one --broker URL") }
            guard brokerCA == nil || brokerPin == nil else { throw ValidationError("give --broker-ca or --broker-pin, not both") }
            if brokers.contains(where: { $0.lowercased().hasPrefix("https:") }), brokerCA == nil, brokerPin == nil {
                throw ValidationError("https brokers need --broker-ca or --broker-pin (the system trust store is not used)")
            }
            if let brokerPin { _ = try HexArgument.decode(Self.pinHex(brokerPin), option: "--broker-pin", count: 32...32) }
        }

        /// The hex of a pin given bare or as `spki-sha256:<hex>` / `certificate-sha256:<hex>` (the token's spelling).
        static func pinHex(_ pin: String) -> String {
            pin.contains(":") ? String(pin.drop(while: { $0 != ":" }).dropFirst()) : pin
        }

        /// The token to write (its keyslot is filled in by the use case).
        func token() throws -> GuestGuardToken {
            var ca: String?
            if let brokerCA {
                let pem = String(decoding: try CLIFiles.read(brokerCA, option: "--broker-ca", limit: 64 << 10), as: UTF8.self)
                guard pem.hasPrefix("-----BEGIN CERTIFICATE-----") else { throw CLIError(message: "--broker-ca \(brokerCA): not a PEM certificate") }
                ca = pem
            }
            let pin = brokerPin.map { $0.hasPrefix("certificate-sha256:") ? "certificate-sha256:" + Self.pinHex($0).lowercased() : "spki-sha256:" + Self.pinHex($0).lowercased() }
            let token = GuestGuardToken(keyslot: 0, brokers: brokers, resource: resource, brokerPin: pin, brokerCA: ca)
            // The token must read back as unlock will read it.
            do { _ = try GuestGuardToken(jsonText: token.jsonText) } catch { throw CLIError(message: "cannot record these broker settings", causes: [error.description]) }
            return token
        }
    }
}
