import GuestGuardCore
import GuestGuardPlatform

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
