import AMDCertificateProfile
import GuestGuardCrypto
import P384ECDSA

/// What chain evaluation found: the five chain check results and whatever parts it could
/// establish (a failed chain may still yield the VEK key, so the report checks can run).
struct ChainEvaluation {
    var checks: [CheckResult] = []
    var vekKind: VEKKind?
    var vekKey: Result<P384ECDSAPublicKey, VerificationFailure>
    var intermediate: X509Certificate?
    var root: TrustedRoot?
    /// Set only when every chain check passed.
    var verified: VerifiedChain?
}

extension SNPReportVerifier {
    /// The chain checks, in ``SNPCheck`` order.
    static let chainChecks: [SNPCheck] = [.rootTrusted, .arkSelfSignature, .intermediateSignature, .intermediateRole, .vekSignature]

    /// Verifies VEK → intermediate → trusted ARK. With `explicitIntermediate` only that
    /// intermediate is considered; otherwise the trust store's intermediates named by the VEK's issuer.
    func evaluateChain(vek: X509Certificate, explicitIntermediate: X509Certificate?) -> ChainEvaluation {
        let vekName = vek.subjectCommonName ?? vek.subject.description
        let vekKind = VEKKind(commonName: vek.subjectCommonName)
        var evaluation = ChainEvaluation(vekKind: vekKind, vekKey: Self.ecdsaKey(of: vek))
        var results: [SNPCheck: CheckResult] = [:]

        // VEK ← intermediate.
        let candidates: [(intermediate: X509Certificate, root: TrustedRoot?)] =
            if let explicitIntermediate {
                [(explicitIntermediate, trustStore.roots.first { $0.intermediates.contains { $0.sha256Fingerprint == explicitIntermediate.sha256Fingerprint } })]
            } else {
                trustStore.intermediates(issuing: vek).map { ($0.intermediate, $0.root) }
            }
        guard !candidates.isEmpty else {
            results[.vekSignature] = .fail(.vekSignature, .intermediateNotFound(issuer: vek.issuer.commonName ?? vek.issuer.description))
            evaluation.checks = Self.completed(results, missingBecause: .vekSignature)
            return evaluation
        }
        var chosen = candidates[0]
        var vekResult = Self.issuance(of: vek, named: vekName, by: chosen.intermediate, check: .vekSignature)
        for candidate in candidates.dropFirst() where !vekResult.passed {
            let attempt = Self.issuance(of: vek, named: vekName, by: candidate.intermediate, check: .vekSignature)
            if attempt.passed { (chosen, vekResult) = (candidate, attempt) }
        }
        results[.vekSignature] = vekResult
        let intermediate = chosen.intermediate
        let intermediateName = intermediate.subjectCommonName ?? intermediate.subject.description
        evaluation.intermediate = intermediate

        // Intermediate role: ASK for VCEK, ASVK for VLEK.
        let role = IntermediateRole(commonName: intermediate.subjectCommonName)
        if let vekKind {
            results[.intermediateRole] = role == IntermediateRole(signing: vekKind)
                ? .pass(.intermediateRole, "\(intermediateName) is an \(IntermediateRole(signing: vekKind)), which issues \(vekKind)s")
                : .fail(.intermediateRole, .wrongIntermediateRole(vek: vekKind, intermediate: intermediateName, role: role))
        } else {
            results[.intermediateRole] = .fail(.intermediateRole, .unknownVEKKind(commonName: vek.subjectCommonName))
        }

        // Intermediate ← ARK: pre-verified when it is one of the trust store's own intermediates.
        if let root = chosen.root {
            evaluation.root = root
            results[.rootTrusted] = .pass(.rootTrusted, Self.describe(root))
            results[.intermediateSignature] = .pass(
                .intermediateSignature, "\(intermediateName) issued by \(root.name) (verified when the trust store was loaded)")
        } else {
            let roots = trustStore.roots(issuing: intermediate)
            var firstFailure: CheckResult?
            for root in roots {
                let attempt = Self.issuance(of: intermediate, named: intermediateName, by: root.ark, key: root.arkKey, check: .intermediateSignature)
                if attempt.passed {
                    evaluation.root = root
                    results[.intermediateSignature] = attempt
                    break
                }
                firstFailure = firstFailure ?? attempt
            }
            let issuerName = intermediate.issuer.commonName ?? intermediate.issuer.description
            if let root = evaluation.root {
                results[.rootTrusted] = .pass(.rootTrusted, Self.describe(root))
            } else {
                results[.rootTrusted] = .fail(.rootTrusted, .rootNotTrusted(issuer: issuerName))
                results[.intermediateSignature] = firstFailure ?? .fail(.intermediateSignature, .notEvaluated(prerequisite: .rootTrusted))
            }
        }
        if let root = evaluation.root {
            results[.arkSelfSignature] = .pass(.arkSelfSignature, "\(root.name) is self-signed (verified when the trust store was loaded)")
        }
        evaluation.checks = Self.completed(results, missingBecause: .rootTrusted)
        if evaluation.checks.allSatisfy(\.passed), let vekKind, let root = evaluation.root, case .success(let key) = evaluation.vekKey {
            evaluation.verified = VerifiedChain(
                vek: vek, vekKey: key, vekKind: vekKind, intermediate: intermediate, root: root, checks: evaluation.checks)
        }
        return evaluation
    }

    /// The chain checks in order; any not yet decided fail as not evaluated.
    private static func completed(_ results: [SNPCheck: CheckResult], missingBecause prerequisite: SNPCheck) -> [CheckResult] {
        chainChecks.map { results[$0] ?? .fail($0, .notEvaluated(prerequisite: prerequisite)) }
    }

    /// `certificate` is issued by `issuer`: names equal, then the AMD-profile signature verifies.
    private static func issuance(
        of certificate: X509Certificate, named name: String, by issuer: X509Certificate, key: PublicKey? = nil, check: SNPCheck
    ) -> CheckResult {
        let issuerName = issuer.subjectCommonName ?? issuer.subject.description
        guard certificate.isIssuerName(of: issuer) else {
            return .fail(check, .issuerNameMismatch(
                certificate: name, issuer: certificate.issuer.commonName ?? certificate.issuer.description, expectedIssuer: issuerName))
        }
        let issuerKey: PublicKey
        if let key {
            issuerKey = key
        } else {
            do { issuerKey = try issuer.publicKey() } catch {
                return .fail(check, .signatureInvalid(certificate: name, .issuerKeyUnusable(error)))
            }
        }
        do { try certificate.verifyAMDSignature(issuerKey: issuerKey) } catch {
            return .fail(check, .signatureInvalid(certificate: name, error))
        }
        return .pass(check, "\(name) issued by \(issuerName) (RSASSA-PSS SHA-384, salt 48)")
    }

    private static func describe(_ root: TrustedRoot) -> String {
        let origin = root.origin == .amdPinned ? "AMD root, pinned" : "root added by the caller"
        return "\(root.name) (\(origin), SHA-256 \(root.ark.sha256Fingerprint.hexString))"
    }

    /// The VEK's key, required to be EC P-384, as the report-signature verifier's point: OpenSSL parses the
    /// certificate's key and gives its affine coordinates, nettle's `ecc_point_set` checks the point is on the curve.
    /// Made once per chain evaluation and cached with the verified chain (the cache key, the VEK's SHA-256
    /// fingerprint, covers the exact key bytes).
    private static func ecdsaKey(of vek: X509Certificate) -> Result<P384ECDSAPublicKey, VerificationFailure> {
        let coordinates: (x: [UInt8], y: [UInt8])
        do { coordinates = try vek.publicKey().p384Coordinates() } catch { return .failure(.vekKeyUnusable(error)) }
        do { return .success(try P384ECDSAPublicKey(x: coordinates.x, y: coordinates.y)) } catch {
            return .failure(.p384InputRejected(error))
        }
    }
}
