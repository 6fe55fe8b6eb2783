import CanonicalJSON
import GuestGuardCrypto
import GuestGuardHTTP

/// A snapshot rendered once, when it changes, so that `/healthz` and `/v1/posture` only hand out
/// prebuilt responses (the bodies are shared, not copied, per request).
struct RenderedPosture: Sendable {
    let snapshot: PostureSnapshot
    /// The posture document, JCS-canonical: exactly what `/v1/posture` serves and what the
    /// attestation binding hashes.
    let document: [UInt8]
    /// SHA-384 of `document`.
    let documentDigest: [UInt8]
    let health: HTTPResponse
    let posture: HTTPResponse

    enum RenderError: Error, CustomStringConvertible {
        case serialization(JSONValue.SerializationError)
        case digest(OpenSSLError)

        var description: String {
            switch self {
            case .serialization(let error): return "posture document: \(error)"
            case .digest(let error): return "posture document digest: \(error)"
            }
        }
    }

    init(_ snapshot: PostureSnapshot) throws(RenderError) {
        self.snapshot = snapshot
        do { document = try snapshot.document.canonicalBytes() } catch { throw .serialization(error) }
        do { documentDigest = try AttestationBinding.documentDigest(document) } catch { throw .digest(error) }
        let overall = snapshot.report.overall.rawValue
        health = HTTPResponse(
            status: snapshot.isHealthy ? .ok : .serviceUnavailable,
            headers: ["Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"],
            body: Array("\(overall)\n".utf8))
        posture = HTTPResponse(
            status: .ok, headers: ["Content-Type": "application/json", "Cache-Control": "no-store"], body: document)
    }
}
