import GuestGuardConfig
import GuestGuardCrypto
import GuestGuardPlatform
import SNPABI

/// Why the simulated secure processor could not be set up or could not produce a report.
public enum SimulatorError: Error, Sendable, CustomStringConvertible {
    /// A file in the simulator directory could not be read or written.
    case file(PlatformError)
    /// `simulator.toml` is malformed (file, line and key are in the underlying error).
    case settings(ConfigError)
    /// A setting has an impossible value.
    case invalidSetting(key: String, reason: String)
    /// An OpenSSL operation failed while minting keys or signing.
    case crypto(String)
    /// The caller asked for something the firmware would refuse (e.g. VMPL > 3).
    case invalidRequest(String)
    /// The report the simulator built does not parse: a bug, never shipped silently.
    case selfCheckFailed(ReportParseError)

    public var description: String {
        switch self {
        case .file(let error): return "simulator: \(error)"
        case .settings(let error): return "simulator settings: \(error)"
        case .invalidSetting(let key, let reason): return "simulator settings: \(key): \(reason)"
        case .crypto(let reason): return "simulator: \(reason)"
        case .invalidRequest(let reason): return "simulator: \(reason)"
        case .selfCheckFailed(let error): return "simulator produced an unparseable report: \(error)"
        }
    }
}
