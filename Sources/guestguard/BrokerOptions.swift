import ArgumentParser
import GuestGuardBoot
import GuestGuardConfig
import GuestGuardCore
import GuestGuardPosture

/// Where `unlock`, `enroll`, `format` and `get-resource` take their brokers from: `--broker URL…`
/// with `--broker-pin` or `--broker-ca`, or else the configuration file (`--config`, default
/// /etc/guestguard/guestguard.toml, the file the initramfs hook bakes in). Never the LUKS2 token:
/// its header is host-writable. One resolution for every command, checked by ``BrokerTrust``.
struct BrokerOptions: ParsableArguments {
    @Option(name: .customLong("broker"), help: ArgumentHelp("Broker base URL, https (repeatable; tried in order). Default: the brokers of --config.", valueName: "URL"))
    var brokers: [String] = []

    @Option(name: .customLong("broker-ca"), help: ArgumentHelp("Pinned CA (PEM) the --broker certificates must chain to.", valueName: "FILE"))
    var brokerCA: String?

    @Option(name: .customLong("broker-pin"), help: ArgumentHelp("Pinned SHA-256 of the --broker certificate's SubjectPublicKeyInfo (hex, or spki-sha256:/certificate-sha256:<hex>).", valueName: "HEX"))
    var brokerPin: String?

    @Option(name: .customLong("config"), help: ArgumentHelp("Without --broker: the configuration naming the brokers and their pin or CA.", valueName: "FILE"))
    var config: String = BootConfig.defaultPath

    @Flag(name: .customLong("test-only-plain-http"), help: ArgumentHelp("TEST ONLY: allow http:// --broker URLs (no authentication; warned on every use).", visibility: .hidden))
    var testOnlyPlainHTTP = false

    func validate() throws {
        if brokers.isEmpty {
            for (given, option) in [(brokerPin != nil, "--broker-pin"), (brokerCA != nil, "--broker-ca"), (testOnlyPlainHTTP, "--test-only-plain-http")] where given {
                throw ValidationError("\(option) applies to --broker URLs; give them too (or put brokers and their pin in --config)")
            }
        }
    }

    /// The brokers and their authentication, from the command line or the configuration file.
    func trust() throws -> BrokerTrust {
        if !brokers.isEmpty {
            do {
                return try BrokerTrust(brokers: brokers, pin: brokerPin, caFile: brokerCA.map(CLIFiles.absolute), allowPlainHTTP: testOnlyPlainHTTP,
                                       source: "--broker on the command line")
            } catch {
                throw CLIError(message: "--broker: expected \(error.description)")
            }
        }
        let text: String
        do { text = try configurationText() } catch {
            throw CLIError(message: "no trusted broker: give --broker URL with --broker-pin or --broker-ca, or configure brokers in \(config)",
                           causes: ["\(config): \(error)", "the brokers a LUKS2 token names are never used: its header is host-writable"])
        }
        return try parsed(text).brokerTrust
    }

    /// The `[[volume]]` tables of the configuration file, for a device-less `unlock` without `--volume`;
    /// empty when the file does not exist (then `--volume` is required). A file that exists but does not
    /// parse is an error, never "no volumes".
    func configuredVolumes() throws -> [ExpectedVolume] {
        guard CLIFiles.files.exists(CLIFiles.absolute(config)) else { return [] }
        return try parsed(try configurationText()).volumes
    }

    private func configurationText() throws -> String {
        String(decoding: try CLIFiles.files.readFile(CLIFiles.absolute(config), limit: 1 << 20), as: UTF8.self)
    }

    private func parsed(_ text: String) throws -> BootConfig {
        do { return try BootConfig(parsing: text, fileName: config) } catch {
            throw CLIError(message: "invalid configuration", causes: [error.description])
        }
    }

    /// ``trust()``, or the reason there is none, for commands that may not need a broker at all.
    func resolved() -> Result<BrokerTrust, CLIError> {
        do { return .success(try trust()) } catch let error as CLIError { return .failure(error) } catch {
            return .failure(CLIError(message: "\(error)"))
        }
    }
}
