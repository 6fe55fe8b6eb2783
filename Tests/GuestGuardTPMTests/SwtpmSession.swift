import GuestGuardTPM
import GuestGuardTestSupport

/// A swtpm and an ESYS connection to it; the connection closes before swtpm stops.
final class SwtpmSession {
    let swtpm: SoftwareTPM
    private(set) var tpm: ESYSTrustedPlatformModule!

    init() throws {
        swtpm = try SoftwareTPM()
        tpm = try ESYSTrustedPlatformModule(configuration: TCTIConfiguration(parsing: swtpm.tcti))
    }

    deinit { tpm = nil }
}
