import GuestGuardCrypto
import SNPABI
import SNPPolicy
import SNPVerifier
import Synchronization

/// Appraises SNP evidence as a tenant must: parse strictly, verify the AMD chain and the report
/// signature and the VEK↔report bindings against the trust the policy grants, then apply the
/// policy's report rules. Shared by `guestguard verify`, `guestguard-broker` and posture checks.
///
/// Trust: AMD's pinned roots when the policy includes them (the default); ARKs the caller loaded
/// from paths the policy names; and an ARK presented in the evidence only when its SHA-256 is in
/// the policy's `ark-fingerprints`. Verifiers are kept per trust configuration so their VEK
/// chain caches survive between calls.
public final class ReportAppraiser: Sendable {
    public let policy: SNPVerificationPolicy?
    /// Which ARKs anchor trust (from the policy, or given on its own for crypto-only appraisal).
    public let trust: TrustPolicy
    private let baseStore: TrustStore
    /// DER of the ARKs loaded from the policy's `roots` paths.
    private let configuredARKs: [[UInt8]]
    private let verifiers = Mutex<[String: SNPReportVerifier]>([:])

    /// - Parameters:
    ///   - policy: the tenant policy; nil checks only signatures and bindings against AMD's roots.
    ///   - configuredRoots: ARK certificates loaded from the policy's `roots` paths.
    public convenience init(policy: SNPVerificationPolicy?, configuredRoots: [X509Certificate] = []) throws(AppraisalSetupError) {
        try self.init(trust: policy?.trust ?? .amdOnly, rules: policy, configuredRoots: configuredRoots)
    }

    /// An appraiser whose trust anchors come from `trust` and whose report rules (if any) from
    /// `rules` (its own trust section is ignored): the key broker verifies evidence at attestation
    /// time against the union of every resource's trust, and applies each resource's rules at release.
    public init(trust: TrustPolicy, rules: SNPVerificationPolicy?, configuredRoots: [X509Certificate] = []) throws(AppraisalSetupError) {
        self.policy = rules
        self.trust = trust
        var store = TrustStore()
        if trust.includesAMDRoots {
            do { store = try AMDRootCertificates.trustStore() } catch { throw .amdRoots(error) }
        }
        for ark in configuredRoots {
            guard let generation = Self.generation(of: ark) else { throw .unknownGeneration(ark.subject.description) }
            do { store.add(try TrustedRoot(generation: generation, ark: ark)) } catch { throw .untrustworthyRoot(error) }
        }
        baseStore = store
        configuredARKs = configuredRoots.map(\.derBytes)
    }

    public func appraise(_ evidence: AttestationEvidence, at time: Int64) -> AppraisalResult {
        let report: AttestationReport
        do { report = try AttestationReport(bytes: evidence.report) } catch {
            return AppraisalResult(report: nil, errors: ["malformed report: \(error)"], verification: nil, policy: nil)
        }
        return appraise(evidence, parsed: report, at: time)
    }

    /// ``appraise(_:at:)`` for a caller that already parsed `evidence.report` (the key broker parses
    /// the evidence once). A `report` whose bytes are not `evidence.report` is ignored and the bytes are parsed.
    public func appraise(_ evidence: AttestationEvidence, parsed report: AttestationReport, at time: Int64) -> AppraisalResult {
        guard report.bytes == evidence.report else { return appraise(evidence, at: time) }
        guard let vekDER = evidence.vek else {
            return AppraisalResult(report: report, errors: ["no VCEK/VLEK certificate came with the report"], verification: nil, policy: nil)
        }
        var errors: [String] = []
        let verifier = verifier(for: evidence, errors: &errors)
        let verification: VerificationResult
        do { verification = try verifier.verify(report: report, vekDER: vekDER, at: time) } catch {
            return AppraisalResult(report: report, errors: errors + ["VEK certificate unusable: \(error)"], verification: nil, policy: nil)
        }
        let evaluation = policy.map { PolicyEvaluation(violations: $0.reportPolicy.evaluate(report)) }
        return AppraisalResult(report: report, errors: errors, verification: verification, policy: evaluation)
    }

    /// Applies this appraiser's trust and rules to a report whose chain and signature were already
    /// verified (by another appraiser) to end in the ARK with SHA-256 `rootFingerprint`: the key
    /// broker verifies the cryptography once at `/attest` and applies each resource's policy at
    /// `/resource` without verifying the same signature again.
    public func appraise(alreadyVerified report: AttestationReport, rootFingerprint: [UInt8]) -> AppraisalResult {
        let trusted = baseStore.roots.contains { $0.ark.sha256Fingerprint == rootFingerprint } || trust.arkFingerprints.contains(rootFingerprint)
        guard trusted else {
            return AppraisalResult(report: report, errors: ["the evidence chains to ARK \(AppraisalResult.hex(rootFingerprint)), which this policy does not trust"],
                                   verification: nil, policy: nil, alreadyVerified: false)
        }
        let evaluation = policy.map { PolicyEvaluation(violations: $0.reportPolicy.evaluate(report)) }
        return AppraisalResult(report: report, errors: [], verification: nil, policy: evaluation, alreadyVerified: true)
    }

    /// The verifier for this evidence: the base store, plus the evidence's ARK with its supplied
    /// ASK/ASVK when the policy pins that ARK by fingerprint or names it by path (a configured ARK
    /// file holds no intermediate; `TrustedRoot` checks the intermediate's signature by the ARK).
    ///
    /// The decision depends only on the ARK's and the intermediate's bytes, so the verifier is looked
    /// up by their SHA-256 before anything is parsed: a chip's repeated evidence costs two hashes
    /// here, not two X.509 parses and an RSA verification of the intermediate.
    private func verifier(for evidence: AttestationEvidence, errors: inout [String]) -> SNPReportVerifier {
        var key = "base"
        var store = baseStore
        let pinned = trust.arkFingerprints
        if let arkDER = evidence.ark, !pinned.isEmpty || configuredARKs.contains(arkDER) {
            do {
                let arkFingerprint = try HashFunction.sha256.hash(arkDER)
                let configured = configuredARKs.contains(arkDER)
                if configured || (pinned.contains(arkFingerprint) && !baseStore.roots.contains(where: { $0.ark.derBytes == arkDER })) {
                    let intermediateFingerprint = try evidence.intermediate.map { try HashFunction.sha256.hash($0) } ?? []
                    key = AppraisalResult.hex(arkFingerprint) + "/" + AppraisalResult.hex(intermediateFingerprint)
                    if let existing = verifiers.withLock({ $0[key] }) { return existing }
                    let ark = try X509Certificate(derEncoded: arkDER)
                    guard let generation = Self.generation(of: ark) else { throw AppraisalSetupError.unknownGeneration(ark.subject.description) }
                    let intermediates = try evidence.intermediate.map { [try X509Certificate(derEncoded: $0)] } ?? []
                    store.add(try TrustedRoot(generation: generation, ark: ark, intermediates: intermediates))
                }
            } catch {
                key = "base"
                store = baseStore
                errors.append("the ARK pinned by fingerprint or path could not be trusted: \(error)")
            }
        }
        let final = store
        return verifiers.withLock { cache in
            if let existing = cache[key] { return existing }
            let created = SNPReportVerifier(trustStore: final)
            if cache.count < 64 { cache[key] = created }
            return created
        }
    }

    /// "ARK-Milan" → .milan.
    static func generation(of ark: X509Certificate) -> ProcessorGeneration? {
        guard let name = ark.subjectCommonName, name.hasPrefix("ARK-") else { return nil }
        return ProcessorGeneration(kdsProductName: String(name.dropFirst(4)))
    }
}

/// Why an appraiser could not be built from a policy.
public enum AppraisalSetupError: Error, Sendable, CustomStringConvertible {
    /// AMD's embedded roots failed their pinned fingerprints (a corrupted binary).
    case amdRoots(TrustStoreError)
    /// A configured ARK is not a valid self-signed AMD-profile root.
    case untrustworthyRoot(TrustStoreError)
    /// An ARK whose common name is not "ARK-<Milan|Genoa|Turin>".
    case unknownGeneration(String)

    public var description: String {
        switch self {
        case .amdRoots(let error): return "AMD's embedded roots: \(error)"
        case .untrustworthyRoot(let error): return "configured root: \(error)"
        case .unknownGeneration(let name): return "ARK \(name): not ARK-Milan, ARK-Genoa or ARK-Turin"
        }
    }
}
