import ArgumentParser
import GuestGuardBoot

/// `--tpm TCTI` and `--tpm-pcr N`, shared by `get-resource` and `unlock` (docs/tpm.md).
struct TPMArguments: ParsableArguments {
    @Option(name: .customLong("tpm"), help: ArgumentHelp(
        "Add a TPM2 quote (PCRs 0-9, 11, 14, 15) to the evidence, from the TPM at TCTI (device:/dev/tpmrm0, swtpm:host=H,port=P).",
        valueName: "TCTI"))
    var tcti: String?

    @Option(name: .customLong("tpm-pcr"), help: ArgumentHelp("PCR that unlock extends with its measurement (with --tpm).", valueName: "N"))
    var pcr: Int = 15

    var options: TPMOptions { TPMOptions(tcti: tcti, pcr: pcr) }

    func validate() throws {
        do { try options.validate() } catch let error as CLIError { throw ValidationError(error.message) }
    }
}
