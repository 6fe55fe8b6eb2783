import GuestGuardPlatform
import Synchronization

/// A `ServiceManager` keeping unit states in memory, as systemd would: `mask` hides the unit's
/// own state until `unmask`, `stop`/`start` change whether it runs. Every call is recorded.
final class InMemoryServiceManager: ServiceManager {
    struct Snapshot: Hashable {
        var installed: [String: UnitFileState] = [:]
        var masked: Set<String> = []
        var active: Set<String> = []
    }
    struct State {
        var units = Snapshot()
        var calls: [String] = []
    }
    private let state = Mutex(State())

    private func locked<T>(_ body: (inout Snapshot, inout [String]) -> T) -> T {
        state.withLock { body(&$0.units, &$0.calls) }
    }

    func install(_ unit: String, _ fileState: UnitFileState, running: Bool = false) {
        locked { units, _ in
            units.installed[unit] = fileState
            if running { units.active.insert(unit) }
        }
    }

    var snapshot: Snapshot { locked { units, _ in units } }
    var calls: [String] { locked { _, calls in calls } }
    var mutatingCalls: [String] { calls.filter { !$0.hasPrefix("is-") } }

    func unitFileState(_ unit: String) throws(PlatformError) -> UnitFileState {
        locked { units, calls in
            calls.append("is-enabled \(unit)")
            return units.masked.contains(unit) ? .masked : units.installed[unit] ?? .notFound
        }
    }

    func isActive(_ unit: String) throws(PlatformError) -> Bool {
        locked { units, calls in
            calls.append("is-active \(unit)")
            return units.active.contains(unit)
        }
    }

    func mask(_ names: [String]) throws(PlatformError) { locked { units, calls in calls.append("mask \(names.joined(separator: " "))"); units.masked.formUnion(names) } }
    func unmask(_ names: [String]) throws(PlatformError) { locked { units, calls in calls.append("unmask \(names.joined(separator: " "))"); units.masked.subtract(names) } }
    func stop(_ names: [String]) throws(PlatformError) { locked { units, calls in calls.append("stop \(names.joined(separator: " "))"); units.active.subtract(names) } }
    func start(_ names: [String]) throws(PlatformError) {
        locked { units, calls in
            calls.append("start \(names.joined(separator: " "))")
            units.active.formUnion(names.filter { !units.masked.contains($0) })
        }
    }
}
