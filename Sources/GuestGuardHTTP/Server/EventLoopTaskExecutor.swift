import NIOCore

/// Runs a task's jobs on one NIO event loop (a Swift `TaskExecutor`, SE-0417): a request handler
/// started with this preference runs on its connection's event loop, so answering a request
/// costs no hand-off to Swift's global pool and back (two thread wake-ups and context switches
/// per request on a busy core). Work the handler awaits elsewhere (another actor, another
/// event loop) still runs there; the handler resumes here.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}
