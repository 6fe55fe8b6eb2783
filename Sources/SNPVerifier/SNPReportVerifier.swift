import GuestGuardCrypto
import SNPABI

/// Verifies SEV-SNP attestation reports: the ARK → ASK → VCEK or ARK → ASVK → VLEK chain
/// (RSASSA-PSS SHA-384, salt 48), the report's ECDSA P-384 signature over bytes 0x000..<0x2A0,
/// and the binding of the VEK's extensions to the report (REPORTED_TCB, CHIP_ID, product,
/// SIGNING_KEY). Every check is reported (``VerificationResult``); nothing stops at the first failure.
///
/// Verified chains are cached by VEK fingerprint, so repeated reports from one chip cost one
/// ECDSA verification. The cache is shared between threads; the verifier is immutable otherwise.
public final class SNPReportVerifier: Sendable {
    /// The trusted roots.
    public let trustStore: TrustStore
    private let cache: VEKChainCache?

    /// A verifier trusting exactly `trustStore`; `chainCacheCapacity` 0 disables the chain cache.
    public init(trustStore: TrustStore, chainCacheCapacity: Int = 1024) {
        self.trustStore = trustStore
        self.cache = chainCacheCapacity > 0 ? VEKChainCache(capacity: chainCacheCapacity) : nil
    }

    /// A verifier trusting AMD's embedded, pinned Milan, Genoa and Turin roots only.
    public convenience init(chainCacheCapacity: Int = 1024) throws(TrustStoreError) {
        self.init(trustStore: try AMDRootCertificates.trustStore(), chainCacheCapacity: chainCacheCapacity)
    }

    /// How many verified chains are cached.
    public var cachedChainCount: Int { cache?.count ?? 0 }

    /// Verifies `report` against the VCEK/VLEK `vekDER` at `time` (Unix seconds).
    /// On a cache hit the VEK is not even parsed again.
    ///
    /// - Parameter intermediate: the ASK/ASVK to use (e.g. from a KDS `cert_chain` or the
    ///   extended-report certificate table); nil picks the trust store's intermediate named by the
    ///   VEK's issuer. An explicit intermediate is used exclusively.
    public func verify(
        report: AttestationReport, vekDER: [UInt8], intermediate: X509Certificate? = nil, at time: Int64
    ) throws(SNPVerificationError) -> VerificationResult {
        let fingerprint: [UInt8]
        do { fingerprint = try HashFunction.sha256.hash(vekDER) } catch { throw .openSSL(error) }
        if let chain = cachedChain(for: fingerprint, intermediate: intermediate) {
            return result(report: report, chain: chain, at: time)
        }
        let vek: X509Certificate
        do { vek = try X509Certificate(derEncoded: vekDER) } catch { throw .malformedVEK(error) }
        return verify(report: report, vek: vek, intermediate: intermediate, at: time)
    }

    /// Verifies `report` against an already parsed VCEK/VLEK at `time` (Unix seconds).
    public func verify(
        report: AttestationReport, vek: X509Certificate, intermediate: X509Certificate? = nil, at time: Int64
    ) -> VerificationResult {
        if let chain = cachedChain(for: vek.sha256Fingerprint, intermediate: intermediate) {
            return result(report: report, chain: chain, at: time)
        }
        let evaluation = evaluateChain(vek: vek, explicitIntermediate: intermediate)
        if let verified = evaluation.verified {
            cache?.insert(verified, for: vek.sha256Fingerprint)
        }
        let reportChecks = checkReport(
            report, vek: vek, vekKind: evaluation.vekKind, vekKey: evaluation.vekKey,
            intermediate: evaluation.intermediate, root: evaluation.root, at: time)
        return VerificationResult(
            checks: Self.ordered(evaluation.checks + reportChecks), chainGeneration: evaluation.root?.generation,
            vekFingerprint: vek.sha256Fingerprint, usedCachedChain: false, rootFingerprint: evaluation.root?.ark.sha256Fingerprint)
    }

    /// The cached chain, unless the caller insists on a different intermediate than the one it was verified with.
    private func cachedChain(for fingerprint: [UInt8], intermediate: X509Certificate?) -> VerifiedChain? {
        guard let chain = cache?.chain(for: fingerprint) else { return nil }
        if let intermediate, intermediate.sha256Fingerprint != chain.intermediate.sha256Fingerprint { return nil }
        return chain
    }

    private func result(report: AttestationReport, chain: VerifiedChain, at time: Int64) -> VerificationResult {
        let reportChecks = checkReport(
            report, vek: chain.vek, vekKind: chain.vekKind, vekKey: .success(chain.vekKey),
            intermediate: chain.intermediate, root: chain.root, at: time)
        return VerificationResult(
            checks: Self.ordered(chain.checks + reportChecks), chainGeneration: chain.root.generation,
            vekFingerprint: chain.vek.sha256Fingerprint, usedCachedChain: true, rootFingerprint: chain.root.ark.sha256Fingerprint)
    }

    private static func ordered(_ checks: [CheckResult]) -> [CheckResult] {
        let byCheck = Dictionary(checks.map { ($0.check, $0) }, uniquingKeysWith: { first, _ in first })
        return SNPCheck.allCases.map { byCheck[$0] ?? .fail($0, .notEvaluated(prerequisite: $0)) }
    }
}
