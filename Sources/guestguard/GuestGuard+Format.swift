import ArgumentParser
import GuestGuardBoot
import GuestGuardCore
import GuestGuardPosture
import GuestGuardLinux
import GuestGuardPlatform
import Logging

extension GuestGuard {
    struct Format: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a fresh LUKS2 data volume whose machine keyslot opens with the broker's key.",
            discussion: """
                Refuses a device that already starts with a LUKS header (unless --force), attests and fetches the key, then formats: aes-xts-plain64 with a 512-bit volume key, 4096-byte \
                sectors where the device allows (else 512), the broker's key in a PBKDF2 keyslot (1000 iterations), an \
                optional recovery passphrase in an argon2id keyslot, and the guestguard token. The new header must pass \
                the same check unlock applies, and the key must open it, or the command fails.
                """
        )

        @Argument(help: "The block device or image file to format (its contents are lost).")
        var device: String

        @OptionGroup var broker: BrokerTokenOptions

        @Option(name: .customLong("recovery-key-file"), help: ArgumentHelp("Add a recovery keyslot opened by this file's contents.", valueName: "FILE"))
        var recoveryKeyFile: String?

        @Flag(help: "Overwrite an existing LUKS header.")
        var force = false

        @OptionGroup var source: ReportSourceOptions

        func run() async throws {
            try ProcessHardening.setNondumpable()
            let logger = VolumeLogger.standard
            let token = try broker.token()
            let recovery: SecretBytes?
            do { recovery = try recoveryKeyFile.map { (path) throws(PlatformError) in try PassphraseInput.keyFile(CLIFiles.absolute(path)) } } catch {
                throw CLIError(message: "--recovery-key-file \(recoveryKeyFile ?? "")", causes: [error.description])
            }
            let format = VolumeFormat(volumes: CryptsetupVolumes(logger: logger), probe: CryptsetupDeviceProbe(logger: logger),
                                      headerCheck: StandardLUKS2HeaderCheck())
            let reports = try source.provider()
            let trust = try broker.broker.trust()
            let broker = broker
            let outcome: VolumeFormat.Outcome
            do {
                outcome = try format.format(device: CLIFiles.absolute(device), token: token, machineKey: {
                    try broker.key(reports: reports, trust: trust)
                }, recoveryPassphrase: recovery, overwrite: force)
            } catch {
                throw CLIError(message: "\(device) not formatted", causes: [error.description])
            }
            let recoveryText = outcome.recoveryKeyslot.map { ", recovery passphrase in keyslot \($0)" } ?? ""
            print("\(device): formatted LUKS2 \(outcome.uuid): broker key in keyslot \(outcome.machineKeyslot)\(recoveryText), token \(outcome.tokenID)")
            VolumeStanza.print(device: device)
        }
    }
}
