import Synchronization

/// At most one piece of work in flight per key: callers asking for a key that is already being
/// worked on wait for that work's result instead of starting their own (Go's `singleflight`).
/// The work runs in its own task, so a waiter that is cancelled does not cancel it for the others.
final class SingleFlight: Sendable {
    private let flights = Mutex<[String: Task<any Sendable, any Error>]>([:])

    /// The result of `work` for `key`, shared with every concurrent caller for `key`.
    func run(_ key: String, _ work: @escaping @Sendable () async throws -> any Sendable) async throws -> any Sendable {
        let task = flights.withLock { flights in
            if let running = flights[key] { return running }
            let started = Task { try await work() }
            flights[key] = started
            return started
        }
        let result = await task.result
        flights.withLock { flights in
            if flights[key] == task { flights[key] = nil }
        }
        return try result.get()
    }
}

/// Where checked KDS documents are kept between processes (the broker's store). The bytes are
/// exactly what KDS sent; they are checked again when read.
public protocol KDSDocumentCache: Sendable {
    /// The bytes stored under `name` (``SNPABI/KDSDocument/cacheName``), or nil.
    func cachedKDSDocument(named name: String) async throws -> [UInt8]?
    /// Stores (or replaces) `bytes` under `name`.
    func storeKDSDocument(_ bytes: [UInt8], named name: String) async throws
}
