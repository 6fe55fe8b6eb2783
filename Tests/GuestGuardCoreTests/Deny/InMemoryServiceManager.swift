#if canImport(Glibc)
import Glibc
#endif
import GuestGuardPlatform

/// A `ServiceManager` keeping unit states in memory, as systemd would: `mask` hides the unit's
/// own state until `unmask`, `stop`/`start` change whether it runs. Every call is recorded.
final class InMemoryServiceManager: ServiceManager, @unchecked Sendable {
    struct Snapshot: Hashable {
        let installed: [String: UnitFileState]
        let masked: Set<String>
        let active: Set<String>
    }

    private var installed: [String: UnitFileState] = [:]
    private var masked: Set<String> = []
    private var active: Set<String> = []
    private(set) var calls: [String] = []
    private var lock = pthread_mutex_t()

    init() { pthread_mutex_init(&lock, nil) }
    deinit { pthread_mutex_destroy(&lock) }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return body()
    }

    func install(_ unit: String, _ state: UnitFileState, running: Bool = false) {
        locked {
            installed[unit] = state
            if running { active.insert(unit) }
        }
    }

    var snapshot: Snapshot { locked { Snapshot(installed: installed, masked: masked, active: active) } }
    var mutatingCalls: [String] { locked { calls.filter { !$0.hasPrefix("is-") } } }

    func unitFileState(_ unit: String) throws(PlatformError) -> UnitFileState {
        locked {
            calls.append("is-enabled \(unit)")
            return masked.contains(unit) ? .masked : installed[unit] ?? .notFound
        }
    }

    func isActive(_ unit: String) throws(PlatformError) -> Bool {
        locked {
            calls.append("is-active \(unit)")
            return active.contains(unit)
        }
    }

    func mask(_ units: [String]) throws(PlatformError) { locked { calls.append("mask \(units.joined(separator: " "))"); masked.formUnion(units) } }
    func unmask(_ units: [String]) throws(PlatformError) { locked { calls.append("unmask \(units.joined(separator: " "))"); masked.subtract(units) } }
    func stop(_ units: [String]) throws(PlatformError) { locked { calls.append("stop \(units.joined(separator: " "))"); active.subtract(units) } }
    func start(_ units: [String]) throws(PlatformError) {
        locked {
            calls.append("start \(units.joined(separator: " "))")
            active.formUnion(units.filter { !masked.contains($0) })
        }
    }
}
