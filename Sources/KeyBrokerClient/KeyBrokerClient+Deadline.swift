/// The per-broker deadline: one handshake (auth, attest, resource, and a step retried at another replica)
/// ends by ``KeyBrokerClient/brokerDeadline`` after it began, whatever each request's own timeout. A
/// broker that accepts connections and never answers costs at most that much before the next broker.
/// Monotonic time (`ContinuousClock`): the host sets the guest's wall clock.
extension KeyBrokerClient {
    /// When a handshake starting now must end; nil without a ``brokerDeadline``.
    func handshakeDeadline() -> ContinuousClock.Instant? {
        brokerDeadline.map { ContinuousClock.now + $0 }
    }

    /// Sends `request` with what is left of `deadline` as its timeout. A transport failure once the deadline
    /// has passed, or a request that has no time left, says so (transient: the next broker is tried).
    func send(_ request: KBSHTTPRequest, to broker: String, step: String, deadline: ContinuousClock.Instant?) async throws(KeyBrokerClientError) -> KBSHTTPResponse {
        guard let deadline, let brokerDeadline else { return try await transport.send(request, to: broker) }
        let left = deadline - ContinuousClock.now
        guard left > .zero else { throw .transport(broker: broker, reason: "\(step): the broker deadline (\(brokerDeadline)) has passed") }
        var bounded = request
        bounded.timeout = min(left, request.timeout ?? left)
        do { return try await transport.send(bounded, to: broker) } catch {
            if case .transport(_, let reason) = error, ContinuousClock.now >= deadline {
                throw .transport(broker: broker, reason: "\(step): the broker deadline (\(brokerDeadline)) has passed: \(reason)")
            }
            throw error
        }
    }
}
