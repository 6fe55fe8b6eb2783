import GuestGuardPlatform
import GuestGuardTPM
import KeyBrokerClient

/// The TPM of an unlock (docs/tpm.md): `--tpm TCTI` and `--tpm-pcr N` on the command line
/// (`TPMArguments` in `guestguard`), or `[tpm]` in the boot configuration.
public struct TPMOptions: Sendable {
    /// A TPM2 quote (PCRs 0-9, 11, 14, 15) goes into the evidence, from the TPM at this TCTI
    /// (device:/dev/tpmrm0, swtpm:host=H,port=P); nil: no TPM.
    public var tcti: String?
    /// The PCR that unlock extends with its measurement.
    public var pcr: Int

    public init(tcti: String? = nil, pcr: Int = 15) {
        self.tcti = tcti
        self.pcr = pcr
    }

    public func validate() throws {
        guard (0...23).contains(pcr) else { throw CLIError(message: "--tpm-pcr must be 0…23") }
        if let tcti {
            do { _ = try TCTIConfiguration(parsing: tcti) } catch { throw CLIError(message: "--tpm: \(error)") }
        }
    }

    /// The TPM as a quote provider, or nil without a TCTI. The only place ESYS is opened.
    public func provider() throws -> TPMQuoteProvider? {
        guard let tcti else { return nil }
        do { return TPMQuoteProvider(try ESYSTrustedPlatformModule(configuration: TCTIConfiguration(parsing: tcti))) } catch {
            throw CLIError(message: "--tpm \(tcti): cannot open the TPM", causes: [error.description])
        }
    }
}
