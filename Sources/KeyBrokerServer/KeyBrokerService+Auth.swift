import CanonicalJSON
import KeyBrokerProtocol
import SNPABI

extension KeyBrokerService {
    /// `POST /kbs/v0/auth`: a `Request` for protocol 0.4.0 and tee `snp` opens a session with a fresh
    /// nonce (32 random bytes, standard base64, as Trustee).
    func auth(_ request: BrokerRequest) async throws(BrokerStoreError) -> BrokerResponse {
        let parsed: Request
        do {
            parsed = try Request(jsonBytes: request.body)
            try parsed.validate(expectedTEE: .snp)
        } catch {
            refuse("auth", request, session: nil, reason: .malformedRequest, reasons: [error.description])
            return problem(401, "AttestationError", "Attestation error: RCAR handshake Auth failed: \(error.reason)")
        }
        _ = parsed
        let nonce: String
        let id: String
        do {
            nonce = Base64.encode(try random.bytes(32))
            id = Hex.encode(try random.bytes(16))
        } catch {
            return problem(401, "AttestationError", "Attestation error: RCAR handshake Auth failed: no randomness")
        }
        let time = now
        let session = BrokerSession(id: id, expires: time + sessionLifetime, state: .challenged(nonce: nonce))
        if case .full(let retryAfter) = try await storage.insertSession(session, capacity: maxSessions, now: time) {
            metrics.sessionCapRefused()
            refuse("auth", request, session: nil, reason: .sessionTableFull, reasons: ["session table full (\(maxSessions) live sessions)"])
            return problem(429, "TooManyRequests", "Attestation error: too many open sessions, retry in \(retryAfter) s",
                           headers: [("Retry-After", String(retryAfter))])
        }
        metrics.count("auth", "ok")
        return json(Challenge(nonce: nonce, extraParams: ""), headers: [sessionCookie(session)])
    }
}
