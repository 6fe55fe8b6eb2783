import GuestGuardCrypto
import P384ECDSA

/// A VEK whose chain to a trusted ARK has been fully verified (names, roles, RSASSA-PSS
/// signatures). Time-independent, so it can be cached by VEK fingerprint; validity periods are
/// checked again on every use.
struct VerifiedChain: Sendable {
    let vek: X509Certificate
    /// The VEK's point, ready for the report signature (nettle, P384ECDSA).
    let vekKey: P384ECDSAPublicKey
    let vekKind: VEKKind
    let intermediate: X509Certificate
    let root: TrustedRoot
    /// The PASS results of the chain checks, replayed on a cache hit.
    let checks: [CheckResult]
}
