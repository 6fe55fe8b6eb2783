import GuestGuardPlatform
import KeyBrokerProtocol

/// How one pass of the handshake ended.
enum HandshakeAttempt {
    /// The keys (and JWE `kid`s) of the resources asked for, in their order.
    case released([(secret: SecretBytes, keyID: String?)])
    /// The session cannot go on (a step's fate was unknown and its retry was refused with 401):
    /// start over with a fresh `/auth` at `broker`, which answered. `refusal` is reported if the
    /// fresh handshake ends the same way.
    case sessionLost(broker: String, refusal: KeyBrokerClientError)
}

/// What a session step (`/attest`, `/resource`) got.
enum SessionStepResult {
    /// 200 from `broker`.
    case answered(broker: String, response: KBSHTTPResponse)
    /// See ``HandshakeAttempt/sessionLost(broker:refusal:)``.
    case sessionLost(broker: String, refusal: KeyBrokerClientError)
}

extension KeyBrokerClient {
    /// Sends a step of an open session. A transport failure (connection refused or reset, timeout:
    /// the replica died) is retried at the next broker of ``brokers`` (replicas on a shared store
    /// know the session; a single load-balancer URL is retried as is, and the balancer picks another
    /// replica), `max(2, brokers.count)` tries in all. Such a failure leaves the step's fate unknown:
    /// the lost request may have consumed the nonce (`/attest`) before the replica died. A 401 to
    /// the retry is then not a verdict on this guest but a lost session: the caller starts a fresh
    /// handshake at the broker that answered (``HandshakeAttempt/sessionLost(broker:refusal:)``).
    /// Any other refusal is final for this handshake, as before.
    func sessionStep(_ broker: String, _ step: String, _ request: KBSHTTPRequest, deadline: MonotonicInstant? = nil) throws(KeyBrokerClientError) -> SessionStepResult {
        var target = broker
        var uncertain = false
        var lastFailure: KeyBrokerClientError?
        for _ in 0..<max(2, brokers.count) {
            let response: KBSHTTPResponse
            do { response = try send(request, to: target, step: step, deadline: deadline) } catch {
                guard case .transport = error else { throw error }
                uncertain = true
                lastFailure = error
                target = nextBroker(after: target)
                continue
            }
            guard response.status == 200 else {
                let problem = try? ProblemDetails(jsonBytes: response.body)
                let refusal = KeyBrokerClientError.refused(broker: target, step: step, status: response.status, type: problem?.type, detail: problem?.detail)
                if uncertain && response.status == 401 { return .sessionLost(broker: target, refusal: refusal) }
                throw refusal
            }
            return .answered(broker: target, response: response)
        }
        throw lastFailure ?? .transport(broker: broker, reason: "\(step): no answer")
    }

    /// The broker after `broker` in ``brokers`` (itself when it is the only one or not listed).
    func nextBroker(after broker: String) -> String {
        guard let index = brokers.firstIndex(of: broker) else { return broker }
        return brokers[(index + 1) % brokers.count]
    }
}
