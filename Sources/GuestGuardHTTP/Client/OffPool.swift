#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GuestGuardHTTPClient

extension HTTPClient {
    /// ``HTTPClient/execute(_:cancellation:)`` for services on Swift's cooperative pool (the broker's KDS fetches): the
    /// blocking exchange runs on a thread of its own, and cancelling the calling task shuts its connection down.
    public func executeOffPool(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPResponse {
        let cancellation = HTTPClientCancellation()
        let result = await withTaskCancellationHandler {
            await runOffPool { [self] in
                Result { () throws(HTTPClientError) in try execute(request, cancellation: cancellation) }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }
}

/// Runs the blocking `body` (an exchange, a backoff sleep) on a new detached thread and returns its result, so
/// that no thread of Swift's cooperative pool waits; falls back to the calling thread when no thread can be
/// made. The guest's blocking code (`guestguard-boot`) links no Swift concurrency: this bridge lives with the
/// servers. The corresponding C function is `pthread_create`.
package func runOffPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    return await withCheckedContinuation { continuation in
        let job = Unmanaged.passRetained(ThreadJob { continuation.resume(returning: body()) })
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let created = pthread_create(&thread, &attributes, { argument in
            Unmanaged<ThreadJob>.fromOpaque(argument!).takeRetainedValue().body()
            return nil
        }, job.toOpaque())
        if created != 0 { job.takeRetainedValue().body() }
    }
}

/// A closure handed to a new thread through `pthread_create`'s argument.
private final class ThreadJob: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}
