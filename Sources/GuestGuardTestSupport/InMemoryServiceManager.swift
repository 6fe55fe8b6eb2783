import GuestGuardPlatform
import Synchronization

/// A `ServiceManager` keeping unit states in memory, as systemd would: `mask` hides the unit's
/// own state until `unmask`, `stop`/`start` change whether it runs. Every call is recorded.
public final class InMemoryServiceManager: ServiceManager {
    public struct Snapshot: Hashable, Sendable {
        public var installed: [String: UnitFileState] = [:]
        public var masked: Set<String> = []
        public var active: Set<String> = []
    }
    struct State {
        var units = Snapshot()
        var calls: [String] = []
    }
    private let state = Mutex(State())

    public init() {}

    private func locked<T>(_ body: (inout Snapshot, inout [String]) -> T) -> T {
        state.withLock { body(&$0.units, &$0.calls) }
    }

    public func install(_ unit: String, _ fileState: UnitFileState, running: Bool = false) {
        locked { units, _ in
            units.installed[unit] = fileState
            if running { units.active.insert(unit) }
        }
    }

    public var snapshot: Snapshot { locked { units, _ in units } }
    public var calls: [String] { locked { _, calls in calls } }
    public var mutatingCalls: [String] { calls.filter { !$0.hasPrefix("is-") } }

    public func unitFileState(_ unit: String) throws(PlatformError) -> UnitFileState {
        locked { units, calls in
            calls.append("is-enabled \(unit)")
            return units.masked.contains(unit) ? .masked : units.installed[unit] ?? .notFound
        }
    }

    public func isActive(_ unit: String) throws(PlatformError) -> Bool {
        locked { units, calls in
            calls.append("is-active \(unit)")
            return units.active.contains(unit)
        }
    }

    public func mask(_ names: [String]) throws(PlatformError) { locked { units, calls in calls.append("mask \(names.joined(separator: " "))"); units.masked.formUnion(names) } }
    public func unmask(_ names: [String]) throws(PlatformError) { locked { units, calls in calls.append("unmask \(names.joined(separator: " "))"); units.masked.subtract(names) } }
    public func stop(_ names: [String]) throws(PlatformError) { locked { units, calls in calls.append("stop \(names.joined(separator: " "))"); units.active.subtract(names) } }
    public func start(_ names: [String]) throws(PlatformError) {
        locked { units, calls in
            calls.append("start \(names.joined(separator: " "))")
            units.active.formUnion(names.filter { !units.masked.contains($0) })
        }
    }
}
