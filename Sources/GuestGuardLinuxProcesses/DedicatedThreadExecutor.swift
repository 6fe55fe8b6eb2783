#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A `TaskExecutor` that runs its jobs on one thread of its own, for work that synchronous code waits
/// for: such a wait may block a thread of Swift's cooperative pool, and the pool may have only one
/// (a one-vCPU guest), so the awaited work must not need it. The C functions are `pthread_create`,
/// `pthread_mutex_*` and `pthread_cond_*`.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let queue = BlockingQueue<UnownedJob>()

    init(name: String) {
        var thread = pthread_t()
        // The thread keeps the executor alive (it is a static, for the life of the process).
        let context = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<DedicatedThreadExecutor>.fromOpaque(context!).takeRetainedValue().runJobs()
        }, context)
        precondition(created == 0, "pthread_create failed for \(name): errno \(created)")
        pthread_detach(thread)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        queue.put(UnownedJob(job))
    }

    private func runJobs() -> Never {
        while true { queue.take().runSynchronously(on: asUnownedTaskExecutor()) }
    }
}

/// A FIFO whose `take` blocks until an element is there (a mutex and a condition variable).
final class BlockingQueue<Element>: @unchecked Sendable {
    // Allocated, not stored: pthread objects must not move.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var elements: [Element] = []
    private var head = 0

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func put(_ element: Element) {
        pthread_mutex_lock(mutex)
        elements.append(element)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    func take() -> Element {
        pthread_mutex_lock(mutex)
        while head == elements.count { pthread_cond_wait(condition, mutex) }
        let element = elements[head]
        head += 1
        if head == elements.count { elements.removeAll(keepingCapacity: true); head = 0 }
        pthread_mutex_unlock(mutex)
        return element
    }
}

/// One value handed from a task to the thread that waits for it.
final class BlockingResult<Value>: @unchecked Sendable {
    private let queue = BlockingQueue<Value>()
    func set(_ value: Value) { queue.put(value) }
    func wait() -> Value { queue.take() }
}
