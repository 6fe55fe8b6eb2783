import ArgumentParser
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

    /// The only place report providers are wired.
    func provider() throws -> any AttestationReportProvider {
        if let simulatorPort { return SimulatorPortReportProvider(path: CLIFiles.absolute(simulatorPort)) }
        guard let simulatorDirectory else { return FallbackReportProvider.standard() }
        do {
            let processor = try SimulatedSecureProcessor(directory: CLIFiles.absolute(simulatorDirectory), files: HostFileSystem(), random: GetrandomSource())
            return SimulatedReportProvider(processor: processor)
        } catch {
            throw CLIError(message: "--simulator \(simulatorDirectory): cannot load the simulated secure processor", causes: [error.description])
        }
    }
}
