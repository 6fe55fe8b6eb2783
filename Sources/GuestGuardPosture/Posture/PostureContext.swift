import GuestGuardCore
import GuestGuardDetection
import GuestGuardPlatform

/// What posture items read: the file tree, the detection result (computed once), the unit
/// states, and the names of running processes (`/proc/PID/comm`, read once here).
public struct PostureContext: Sendable {
    public let files: any FileSystem
    public let detection: DetectionReport
    public let services: any ServiceManager
    /// `comm` of every process (15 characters at most, as the kernel truncates it), or why `/proc` could not be
    /// listed: then nobody can say what runs (never taken as "nothing runs").
    public let processNames: Result<Set<String>, PlatformError>

    public init(files: any FileSystem, detection: DetectionReport, services: any ServiceManager = UnavailableServiceManager()) {
        self.files = files
        self.detection = detection
        self.services = services
        processNames = Result { () throws(PlatformError) in
            var names = Set<String>()
            for entry in try files.listDirectory("/proc") where entry.first?.isNumber == true && entry.allSatisfy(\.isNumber) {
                // A process that exits between the listing and this read is not running.
                if let comm = try? files.readText("/proc/\(entry)/comm", limit: 64) { names.insert(comm.trimmingWhitespace()) }
            }
            return names
        }
    }

    /// Whether a process with this executable name runs (compared as the kernel truncates `comm`); nil when
    /// `/proc` cannot be listed.
    public func isRunning(_ name: String) -> Bool? { (try? processNames.get())?.contains(String(name.prefix(15))) }
}

/// The service manager of a context built without one: every query fails, so unit-based items
/// evaluate to `unknown` and a deny plan cannot be computed.
public struct UnavailableServiceManager: ServiceManager {
    public init() {}
    func failure(_ unit: String) -> PlatformError { PlatformError(operation: "unit state", target: unit, errno: 0, detail: "no service manager configured") }
    public func unitFileState(_ unit: String) throws(PlatformError) -> UnitFileState { throw failure(unit) }
    public func isActive(_ unit: String) throws(PlatformError) -> Bool { throw failure(unit) }
    public func mask(_ units: [String]) throws(PlatformError) { throw failure(units.joined(separator: " ")) }
    public func unmask(_ units: [String]) throws(PlatformError) { throw failure(units.joined(separator: " ")) }
    public func stop(_ units: [String]) throws(PlatformError) { throw failure(units.joined(separator: " ")) }
    public func start(_ units: [String]) throws(PlatformError) { throw failure(units.joined(separator: " ")) }
}
