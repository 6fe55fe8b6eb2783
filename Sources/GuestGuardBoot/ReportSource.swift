import GuestGuardLinux
import GuestGuardPlatform

/// Where reports come from: the device (configfs-tsm, then /dev/sev-guest) or, only when asked for,
/// the simulated secure processor (served on the host over a port, or loaded from a directory).
public enum ReportSource {
    /// Loads the simulated secure processor from a directory (`guestguard simulator init DIR`; relative to the working directory).
    /// Only `guestguard` has one: `guestguard-boot` carries no simulator.
    public typealias SimulatorLoader = (_ directory: String) throws -> any AttestationReportProvider

    /// The only place report providers are wired.
    public static func provider(simulatorDirectory: String?, simulatorPort: String?, loadSimulator: SimulatorLoader?) throws -> any AttestationReportProvider {
        if let simulatorPort { return SimulatorPortReportProvider(path: CLIFiles.absolute(simulatorPort)) }
        guard let simulatorDirectory else { return FallbackReportProvider.standard() }
        guard let loadSimulator else {
            throw CLIError(message: "--simulator \(simulatorDirectory): this executable has no simulated secure processor",
                           causes: ["use simulator-port (`guestguard simulator serve` on the host), or `guestguard` instead of `guestguard-boot`"])
        }
        return try loadSimulator(simulatorDirectory)
    }
}
