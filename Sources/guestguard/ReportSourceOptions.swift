import ArgumentParser
import GuestGuardBoot
import GuestGuardLinux
import GuestGuardPlatform
import SNPSimulator

/// Where reports come from: the device (configfs-tsm, then /dev/sev-guest) or, only when asked
/// for, the simulated secure processor.
struct ReportSourceOptions: ParsableArguments {
    @Option(name: .customLong("simulator"), help: ArgumentHelp("Use the SIMULATED secure processor in DIR (`guestguard simulator init DIR`) instead of the device. Not AMD: for tests and demos.", valueName: "DIR"))
    var simulatorDirectory: String?

    @Option(name: .customLong("simulator-port"), help: ArgumentHelp("Ask the SIMULATED secure processor served on the host (`guestguard simulator serve`) over this virtio-serial port or unix socket. Not AMD: for tests.", valueName: "PATH"))
    var simulatorPort: String?

    func validate() throws {
        if simulatorDirectory != nil && simulatorPort != nil { throw ValidationError("give --simulator or --simulator-port, not both") }
    }

    func provider() throws -> any AttestationReportProvider {
        try ReportSource.provider(simulatorDirectory: simulatorDirectory, simulatorPort: simulatorPort, loadSimulator: Self.loadSimulator)
    }

    /// The simulated secure processor in a directory: only `guestguard` links SNPSimulator.
    static func loadSimulator(_ directory: String) throws -> any AttestationReportProvider {
        do {
            let processor = try SimulatedSecureProcessor(directory: CLIFiles.absolute(directory), files: HostFileSystem(), random: GetrandomSource())
            return SimulatedReportProvider(processor: processor)
        } catch {
            throw CLIError(message: "--simulator \(directory): cannot load the simulated secure processor", causes: [error.description])
        }
    }
}
