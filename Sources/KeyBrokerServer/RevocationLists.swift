import AMDCertificateProfile
import Synchronization

/// Whether the broker needs a current AMD CRL to accept evidence that carries its own
/// `cert_chain` (evidence without one gets its VCEK from KDS, which always comes with a current
/// CRL). `guestguard-broker serve --revocation`; docs/broker-kds.md explains the choice.
public enum RevocationMode: String, Sendable, CaseIterable {
    /// No current CRL verified under the chain's ARK (none stored, KDS down or off, a forged or
    /// expired one only): refuse with 503 and `Retry-After`, release nothing.
    case required
    /// The default. A CRL verified under the chain's ARK is used when the store or KDS has one; a
    /// revocation on a CRL past its nextUpdate still counts. Without any, the handshake goes on and
    /// `/metrics` counts it (`attest` outcome `revocation_unchecked`).
    case bestEffort = "best-effort"
}

/// The CRL the broker holds for each ARK (by the ARK's SHA-256), shared by every handshake: read
/// from the store at most every ``lifetime`` seconds (so a CRL imported on another host takes
/// effect), fetched from KDS when the stored one is missing, unverifiable or past its nextUpdate,
/// and after a failed fetch not fetched again before ``Entry/retryAt``.
final class RevocationLists: Sendable {
    /// Seconds an entry is used before the store is read again.
    static let lifetime: Int64 = 60

    struct Entry: Sendable {
        /// The newest CRL issued and signed by the ARK (it may be past its nextUpdate).
        var list: X509RevocationList?
        /// When the store was read.
        var checkedAt: Int64
        /// Not looked for again before this, unless ``lifetime`` has passed.
        var retryAt: Int64
        /// Why there is no current CRL (for the audit line), or nil.
        var problem: String?
        /// The ARK's common name (for the audit line).
        var issuerName = "the ARK"
        /// The DER of the last ASK found not revoked by `list` (skips parsing it again).
        var clearedASK: [UInt8]?

        /// Whether the entry must be refreshed at `time`.
        func isDue(at time: Int64) -> Bool {
            if time < checkedAt || time - checkedAt >= RevocationLists.lifetime { return true }
            return list?.isCurrent(at: time) != true && time >= retryAt
        }
    }

    let mode: RevocationMode
    private let entries = Mutex<[[UInt8]: Entry]>([:])

    init(mode: RevocationMode) { self.mode = mode }

    subscript(root: [UInt8]) -> Entry? {
        get { entries.withLock { $0[root] } }
        set {
            entries.withLock { table in
                if table.count >= 64 { table.removeAll() }
                table[root] = newValue
            }
        }
    }
}
