import Logging
import ServiceLifecycle

/// Asks the source for its snapshot every `interval` and re-renders the endpoints' responses
/// when it changed. The source keeps its own cache, so this costs a comparison when idle.
struct PostureRefreshService: Service, CustomStringConvertible {
    let source: any PostureSource
    let endpoints: PostureEndpoints
    let interval: Duration
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { [source, endpoints, interval, logger] in
                while true {
                    try await Task.sleep(for: interval)
                    let snapshot = await source.snapshot()
                    do {
                        if try endpoints.update(snapshot) {
                            logger.debug("posture published", metadata: ["overall": "\(snapshot.report.overall.rawValue)"])
                        }
                    } catch {
                        logger.error("posture not published", metadata: ["error": "\(error)"])
                    }
                }
            }
        } catch is CancellationError {
            return
        }
    }

    var description: String { "PostureRefresh" }
}
