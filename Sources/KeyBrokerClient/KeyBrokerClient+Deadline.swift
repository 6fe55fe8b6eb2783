import GuestGuardPlatform

/// The per-broker deadline: one handshake (auth, attest, resource, and a step retried at another replica)
/// ends by ``KeyBrokerClient/brokerDeadline`` after it began, whatever each request's own timeout. A
/// broker that accepts connections and never answers costs at most that much before the next broker.
/// Monotonic time (`MonotonicInstant`): the host sets the guest's wall clock.
extension KeyBrokerClient {
    /// When a handshake starting now must end; nil without a ``brokerDeadline``.
    func handshakeDeadline() -> MonotonicInstant? {
        brokerDeadline.map { MonotonicInstant.now + $0 }
    }

    /// Sends `request` with what is left of `deadline` as its timeout. A transport failure once the deadline
    /// has passed, or a request that has no time left, says so (transient: the next broker is tried).
    func send(_ request: KBSHTTPRequest, to broker: String, step: String, deadline: MonotonicInstant?) throws(KeyBrokerClientError) -> KBSHTTPResponse {
        guard let deadline, let brokerDeadline else { return try transport.send(request, to: broker) }
        let left = deadline - MonotonicInstant.now
        guard left > .zero else { throw .transport(broker: broker, reason: "\(step): the broker deadline (\(brokerDeadline)) has passed") }
        var bounded = request
        bounded.timeout = min(left, request.timeout ?? left)
        do { return try transport.send(bounded, to: broker) } catch {
            if case .transport(_, let reason) = error, MonotonicInstant.now >= deadline {
                throw .transport(broker: broker, reason: "\(step): the broker deadline (\(brokerDeadline)) has passed: \(reason)")
            }
            throw error
        }
    }
}
