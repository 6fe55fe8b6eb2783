import GuestGuardPlatform
import KeyBrokerProtocol

/// Why no resource came back. Every case names the broker; broker refusals carry its RFC 7807
/// `type` and `detail` verbatim.
public enum KeyBrokerClientError: Error, Sendable, CustomStringConvertible {
    /// Connection, TLS, timeout or size-limit failure.
    case transport(broker: String, reason: String)
    /// The server at the broker's address is not the broker: its TLS certificate matches neither the
    /// pin nor the pinned CA (a host-run rogue broker, or the network redirected). Nothing it says is used.
    case untrustedBroker(broker: String, reason: String)
    /// The broker answered with an error status and (maybe) a problem document.
    case refused(broker: String, step: String, status: Int, type: String?, detail: String?)
    /// The broker's answer is not what KBS 0.4.0 says.
    case protocolViolation(broker: String, step: String, reason: String)
    /// The guest could not produce evidence.
    case attestation(AttestationFetchError)
    /// The JWE could not be opened (wrong key, tampered ciphertext).
    case decryption(broker: String, reason: String)
    /// Every broker failed; the last error of each, in order.
    case allBrokersFailed([KeyBrokerClientError])

    public var description: String {
        switch self {
        case .transport(let broker, let reason): return "\(broker): \(reason)"
        case .untrustedBroker(let broker, let reason): return "\(broker): not the trusted broker, nothing accepted from it: \(reason)"
        case .refused(let broker, let step, let status, let type, let detail):
            let name = type.map { ProblemDetails(type: $0, detail: "").kbsErrorName ?? $0 } ?? "no problem document"
            return "\(broker): \(step) refused with HTTP \(status) (\(name)): \(detail ?? "")"
        case .protocolViolation(let broker, let step, let reason): return "\(broker): \(step): \(reason)"
        case .attestation(let error): return "no attestation report: \(error)"
        case .decryption(let broker, let reason): return "\(broker): cannot open the resource: \(reason)"
        case .allBrokersFailed(let errors): return errors.map(\.description).joined(separator: "; ")
        }
    }

    /// Worth trying again (network trouble, a busy broker) rather than a decision.
    public var isTransient: Bool {
        switch self {
        case .transport: return true
        case .refused(_, _, let status, _, _): return status >= 500 || status == 408 || status == 429
        case .allBrokersFailed(let errors): return errors.contains { $0.isTransient }
        default: return false
        }
    }
}
