import KeyBrokerServer
import Synchronization

/// How long a statement may take before the store counts as unavailable (a 503, nothing
/// released), kept for every statement in flight by one sweeper rather than a timer and a task
/// group per statement. The caller waits on a continuation that the statement's task or the
/// sweeper resumes, whichever comes first: a server that hangs mid-query (which postgres-nio does
/// not abandon on cancellation) still answers within the limit plus one ``tick``. Each connection
/// also has `statement_timeout` set to the limit, so PostgreSQL ends such a statement itself.
final class StatementDeadlines: Sendable {
    let limit: Duration
    /// How often the sweeper looks for expired statements.
    static let tick: Duration = .milliseconds(50)

    private struct Waiter {
        /// Set when the statement's task starts (a busy process is not a slow database).
        var deadline: ContinuousClock.Instant?
        let expire: @Sendable () -> Void
    }

    private let waiting = Mutex<(next: UInt64, table: [UInt64: Waiter])>((0, [:]))

    init(limit: Duration) { self.limit = limit }

    /// `body`'s result, or ``BrokerStoreError/unavailable(_:)`` once `limit` has passed since it
    /// started (its task is then cancelled; a pooled connection it waits for is given up).
    func run<R: Sendable>(_ body: @escaping @Sendable () async throws -> R) async throws(BrokerStoreError) -> R {
        let limit = limit
        let outcome: Result<R, any Error> = await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            let task = TaskSlot()
            let id = waiting.withLock { state in
                state.next &+= 1
                state.table[state.next] = Waiter(deadline: nil) {
                    once.resume(.failure(BrokerStoreError.unavailable("PostgreSQL did not answer within \(limit)")))
                    task.cancel()
                }
                return state.next
            }
            let started = Task {
                self.waiting.withLock { $0.table[id]?.deadline = ContinuousClock.now + limit }
                let result: Result<R, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                self.waiting.withLock { _ = $0.table.removeValue(forKey: id) }
                once.resume(result)
            }
            task.set(started)
        }
        switch outcome {
        case .success(let value): return value
        case .failure(let error): throw PostgresBrokerStorage.failure(error)
        }
    }

    /// Expires overdue statements every ``tick`` until cancelled.
    func sweep() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.tick)
            let now = ContinuousClock.now
            let overdue = waiting.withLock { state -> [Waiter] in
                let due = state.table.filter { $0.value.deadline.map { $0 <= now } ?? false }
                for key in due.keys { state.table.removeValue(forKey: key) }
                return Array(due.values)
            }
            for waiter in overdue { waiter.expire() }
        }
    }
}

/// A continuation resumed at most once, by whichever of its resumers comes first.
private final class ResumeOnce<R: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Result<R, any Error>, Never>?>

    init(_ continuation: CheckedContinuation<Result<R, any Error>, Never>) { self.continuation = Mutex(continuation) }

    func resume(_ result: Result<R, any Error>) {
        continuation.withLock { $0.take() }?.resume(returning: result)
    }
}

/// The statement's task, once made; cancelling before then cancels it when it is set.
private final class TaskSlot: Sendable {
    private let state = Mutex<(task: Task<Void, Never>?, cancelled: Bool)>((nil, false))

    func set(_ task: Task<Void, Never>) {
        if state.withLock({ state in
            state.task = task
            return state.cancelled
        }) { task.cancel() }
    }

    func cancel() { state.withLock { state in state.cancelled = true; return state.task }?.cancel() }
}
