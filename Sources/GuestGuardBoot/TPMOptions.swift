import ArgumentParser
import GuestGuardPlatform
import GuestGuardTPM
import KeyBrokerClient

/// `--tpm TCTI` and `--tpm-pcr N`, shared by `get-resource` and `unlock` (docs/tpm.md).
struct TPMOptions: ParsableArguments {
    @Option(name: .customLong("tpm"), help: ArgumentHelp(
        "Add a TPM2 quote (PCRs 0-9, 11, 14, 15) to the evidence, from the TPM at TCTI (device:/dev/tpmrm0, swtpm:host=H,port=P).",
        valueName: "TCTI"))
    var tcti: String?

    @Option(name: .customLong("tpm-pcr"), help: ArgumentHelp("PCR that unlock extends with its measurement (with --tpm).", valueName: "N"))
    var pcr: Int = 15

    func validate() throws {
        guard (0...23).contains(pcr) else { throw ValidationError("--tpm-pcr must be 0…23") }
        if let tcti {
            do { _ = try TCTIConfiguration(parsing: tcti) } catch { throw ValidationError("--tpm: \(error)") }
        }
    }

    /// The TPM as a quote provider, or nil without `--tpm`. The only place ESYS is opened.
    func provider() throws -> TPMQuoteProvider? {
        guard let tcti else { return nil }
        do { return TPMQuoteProvider(try ESYSTrustedPlatformModule(configuration: TCTIConfiguration(parsing: tcti))) } catch {
            throw CLIError(message: "--tpm \(tcti): cannot open the TPM", causes: [error.description])
        }
    }
}
