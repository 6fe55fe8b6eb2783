import GuestGuardCore
import GuestGuardPlatform
import Synchronization

/// Remembers unit states for the length of one re-check, so planning and evaluating the same
/// units asks systemctl once per unit instead of twice. Any change to a unit (mask, unmask, stop,
/// start) forgets what was known about it. Create a fresh one per re-check: it never expires.
public final class CachingServiceManager: ServiceManager {
    let base: any ServiceManager
    private let known = Mutex<(states: [String: UnitFileState], active: [String: Bool])>(([:], [:]))

    public init(_ base: any ServiceManager) { self.base = base }

    public func unitFileState(_ unit: String) throws(PlatformError) -> UnitFileState {
        if let state = known.withLock({ $0.states[unit] }) { return state }
        let state = try base.unitFileState(unit)
        known.withLock { $0.states[unit] = state }
        return state
    }

    public func isActive(_ unit: String) throws(PlatformError) -> Bool {
        if let active = known.withLock({ $0.active[unit] }) { return active }
        let active = try base.isActive(unit)
        known.withLock { $0.active[unit] = active }
        return active
    }

    public func mask(_ units: [String]) throws(PlatformError) { forget(units); try base.mask(units) }
    public func unmask(_ units: [String]) throws(PlatformError) { forget(units); try base.unmask(units) }
    public func stop(_ units: [String]) throws(PlatformError) { forget(units); try base.stop(units) }
    public func start(_ units: [String]) throws(PlatformError) { forget(units); try base.start(units) }

    private func forget(_ units: [String]) {
        known.withLock { known in
            for unit in units {
                known.states[unit] = nil
                known.active[unit] = nil
            }
        }
    }
}
