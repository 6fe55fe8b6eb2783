import AMDCertificateProfile
import SNPABI

/// Why a KDS document could not be had. ``isRetryable`` separates "KDS (or the cache) is down or
/// busy, try again" from "this evidence will never get a VCEK this way".
public enum KDSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The report names no fetchable VCEK (masked chip ID, VLEK, unknown product).
    case request(KDSRequestError)
    /// KDS answered 404: no such chip, or no VCEK at that TCB.
    case notFound(KDSDocument)
    /// KDS did not answer, answered 5xx or 429, or timed out; try again after `retryAfterSeconds`.
    case unavailable(KDSDocument, reason: String, retryAfterSeconds: Int)
    /// KDS answered another status.
    case unexpectedStatus(KDSDocument, status: Int)
    /// The bytes are not the document they should be (garbage, wrong certificate, wrong chip or TCB).
    case malformed(KDSDocument, reason: String)
    /// The product's CRL, signed by its ARK, revokes the ASK.
    case revoked(certificate: String, by: String)
    /// The CRL cannot be trusted (signature, issuer, or past its nextUpdate and no fresher one).
    case revocationUnverifiable(reason: String)
    /// The CRL offered is older than the one held (earlier thisUpdate or lower cRLNumber): taking
    /// it would un-revoke what the newer one revokes. The held one stays.
    case revocationRollback(KDSDocument, held: RevocationListVersion, offered: RevocationListVersion)
    /// The cache (the broker's store) failed.
    case cache(reason: String)
    /// The base URL or TLS set-up is unusable.
    case configuration(reason: String)

    /// Whether the same request may succeed later (KDS or the store down or busy).
    public var isRetryable: Bool {
        switch self {
        case .unavailable, .cache: true
        default: false
        }
    }

    /// Seconds a caller should wait before trying again (1 unless KDS said more).
    public var retryAfterSeconds: Int {
        if case .unavailable(_, _, let seconds) = self { return max(1, seconds) }
        return 1
    }

    public var description: String {
        switch self {
        case .request(let error): "\(error)"
        case .notFound(let document): "KDS has no \(document) (404: unknown chip, or no VCEK at that TCB)"
        case .unavailable(let document, let reason, let seconds): "KDS unavailable for \(document): \(reason) (retry in \(seconds) s)"
        case .unexpectedStatus(let document, let status): "KDS answered \(status) for \(document)"
        case .malformed(let document, let reason): "KDS sent an unusable \(document): \(reason)"
        case .revoked(let certificate, let issuer): "\(certificate) is revoked by the CRL of \(issuer)"
        case .revocationUnverifiable(let reason): "revocation cannot be checked: \(reason)"
        case .revocationRollback(let document, let held, let offered): "the \(document) offered (\(offered)) is older than the one held (\(held)): refused"
        case .cache(let reason): "KDS cache: \(reason)"
        case .configuration(let reason): "KDS configuration: \(reason)"
        }
    }
}
