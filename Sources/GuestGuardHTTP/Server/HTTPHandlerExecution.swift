import NIOCore

/// Where an `HTTPServer` runs its async route handlers.
public enum HTTPHandlerExecution: Sendable, Hashable {
    /// Swift's global concurrent executor (the default): each request hops from the connection's
    /// event loop to a pool thread and its response hops back. Handlers may block.
    case concurrencyPool
    /// The connection's own event loop, as the task's executor preference (``EventLoopTaskExecutor``):
    /// no thread hand-off per request. Only for handlers that never block their thread (CPU work,
    /// page-cache file access, `await`s on non-blocking I/O); a blocking call would stall every
    /// connection on that loop.
    case eventLoop
}

/// A Swift task executor that runs jobs on one NIO event loop, so a task created with
/// `Task(executorPreference:)` runs there, and resumes there after each `await`, unless it enters
/// an actor. Each job runs with this task executor as the current executor (not the loop's
/// serial executor), so nonisolated async code it calls needs no hop.
/// The corresponding Swift runtime entry is `UnownedJob.runSynchronously(on: UnownedTaskExecutor)`.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
