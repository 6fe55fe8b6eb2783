import AMDCertificateProfile
import GuestGuardCrypto
import P384ECDSA
import SNPABI

extension SNPReportVerifier {
    /// The per-report checks (validity at `time`, signing key, signature, generation, product,
    /// TCB and hwID bindings), run on every verification, cached chain or not.
    func checkReport(
        _ report: AttestationReport, vek: X509Certificate, vekKind: VEKKind?, vekKey: Result<P384ECDSAPublicKey, VerificationFailure>,
        intermediate: X509Certificate?, root: TrustedRoot?, at time: Int64
    ) -> [CheckResult] {
        let generation = root?.generation ?? report.generation
        return [
            Self.validity(of: root?.ark, check: .arkValidity, at: time),
            Self.validity(of: intermediate, check: .intermediateValidity, at: time),
            Self.validity(of: vek, check: .vekValidity, at: time),
            Self.signingKey(report, vekKind: vekKind),
            Self.reportSignature(report, vekKey: vekKey),
            Self.generation(report, chain: root?.generation),
            Self.productName(vek, generation: generation),
        ] + Self.tcbBindings(report, vek: vek, generation: generation) + [
            Self.hwID(report, vek: vek, vekKind: vekKind, generation: generation),
        ]
    }

    private static func validity(of certificate: X509Certificate?, check: SNPCheck, at time: Int64) -> CheckResult {
        guard let certificate else { return .fail(check, .notEvaluated(prerequisite: check == .arkValidity ? .rootTrusted : .vekSignature)) }
        let name = certificate.subjectCommonName ?? certificate.subject.description
        if time < certificate.notBefore { return .fail(check, .notYetValid(certificate: name, notBefore: certificate.notBefore, time: time)) }
        if time > certificate.notAfter { return .fail(check, .expired(certificate: name, notAfter: certificate.notAfter, time: time)) }
        return .pass(check, "\(name) valid \(certificate.notBefore)...\(certificate.notAfter), time \(time)")
    }

    private static func signingKey(_ report: AttestationReport, vekKind: VEKKind?) -> CheckResult {
        let reported = report.keyInfo.signingKey
        if reported == .none { return .fail(.signingKey, .reportUnsigned) }
        guard let vekKind else { return .fail(.signingKey, .notEvaluated(prerequisite: .intermediateRole)) }
        let expected: SigningKey = vekKind == .vcek ? .vcek : .vlek
        guard reported == expected else { return .fail(.signingKey, .signingKeyMismatch(report: reported, certificate: vekKind)) }
        return .pass(.signingKey, "KEY_INFO.SIGNING_KEY is \(vekKind) and a \(vekKind) certificate was presented")
    }

    /// The one production check of the report's signature: SHA-384 of bytes 0x000..<0x2A0 (OpenSSL), then
    /// ECDSA P-384 under the VEK's point (nettle's `ecdsa_verify`, P384ECDSA) with R and S from 0x2A0 and 0x2E8.
    private static func reportSignature(
        _ report: AttestationReport, vekKey: Result<P384ECDSAPublicKey, VerificationFailure>
    ) -> CheckResult {
        let key: P384ECDSAPublicKey
        switch vekKey {
        case .failure(let failure): return .fail(.reportSignature, failure)
        case .success(let value): key = value
        }
        let digest: [UInt8]
        do { digest = try HashFunction.sha384.hash(report.signedBytes) } catch {
            return .fail(.reportSignature, .vekKeyUnusable(.openSSL(error)))
        }
        do {
            guard try key.isValidSignature(digest: digest, r: report.signature.rBigEndian, s: report.signature.sBigEndian) else {
                return .fail(.reportSignature, .reportSignatureInvalid)
            }
        } catch {
            return .fail(.reportSignature, .p384InputRejected(error))
        }
        return .pass(.reportSignature, "ECDSA P-384 SHA-384 over bytes 0x000..<0x2A0 verifies under the VEK key")
    }

    private static func generation(_ report: AttestationReport, chain: ProcessorGeneration?) -> CheckResult {
        guard let chain else { return .fail(.generation, .notEvaluated(prerequisite: .rootTrusted)) }
        guard let family = report.cpuidFamilyID, let model = report.cpuidModelID else {
            return .pass(.generation, "version \(report.version) report has no CPUID; \(chain.kdsProductName) from the certificate chain")
        }
        guard let reported = ProcessorGeneration(cpuidFamily: family, model: model) else {
            return .fail(.generation, .unknownCPUID(family: family, model: model))
        }
        guard reported == chain else { return .fail(.generation, .generationMismatch(report: reported, chain: chain)) }
        return .pass(.generation, "CPUID family 0x\(String(family, radix: 16)) model 0x\(String(model, radix: 16)) is \(chain.kdsProductName), as the chain")
    }

    private static func productName(_ vek: X509Certificate, generation: ProcessorGeneration?) -> CheckResult {
        guard let generation else { return .fail(.productName, .notEvaluated(prerequisite: .rootTrusted)) }
        let name: String
        switch extensionValue(.productName, of: vek, decode: DERValue.ia5String(from:)) {
        case .failure(let failure): return .fail(.productName, failure)
        case .success(let value): name = value
        }
        guard ProcessorGeneration(kdsProductName: name) == generation else {
            return .fail(.productName, .productNameMismatch(productName: name, expected: generation))
        }
        return .pass(.productName, "productName \"\(name)\" is \(generation.kdsProductName)")
    }

    /// blSPL, teeSPL, snpSPL, ucodeSPL and (Turin) fmcSPL against REPORTED_TCB, decoded with the
    /// layout of `generation` (the chain's when known: a version-2 report cannot tell).
    private static func tcbBindings(_ report: AttestationReport, vek: X509Certificate, generation: ProcessorGeneration?) -> [CheckResult] {
        let tcb = TCBVersion(rawValue: report.reportedTCB.rawValue, generation: generation ?? report.reportedTCB.generation)
        var results = [
            spl(.bootLoaderSPL, .bootLoaderSPL, of: vek, report: tcb.bootLoader),
            spl(.teeSPL, .teeSPL, of: vek, report: tcb.tee),
            spl(.snpSPL, .snpSPL, of: vek, report: tcb.snp),
            spl(.microcodeSPL, .microcodeSPL, of: vek, report: tcb.microcode),
        ]
        if let fmc = tcb.fmc {
            results.append(spl(.fmcSPL, .fmcSPL, of: vek, report: fmc))
        } else {
            results.append(.pass(.fmcSPL, "not applicable: \(generation?.kdsProductName ?? "this generation") has no FMC"))
        }
        return results
    }

    private static func spl(_ check: SNPCheck, _ item: VEKExtension, of vek: X509Certificate, report value: UInt8) -> CheckResult {
        switch extensionValue(item, of: vek, decode: DERValue.unsignedInteger(from:)) {
        case .failure(let failure): return .fail(check, failure)
        case .success(let certified) where certified != UInt64(value):
            return .fail(check, .tcbMismatch(item, certificate: certified, report: value))
        case .success(let certified): return .pass(check, "\(item.name) \(certified) == REPORTED_TCB \(value)")
        }
    }

    private static func hwID(_ report: AttestationReport, vek: X509Certificate, vekKind: VEKKind?, generation: ProcessorGeneration?) -> CheckResult {
        if vekKind == .vlek { return .pass(.hwID, "not applicable: a VLEK is not bound to a chip") }
        if report.keyInfo.maskChipKey { return .pass(.hwID, "not applicable: MASK_CHIP_KEY is set, CHIP_ID is zero") }
        guard vekKind == .vcek else { return .fail(.hwID, .unknownVEKKind(commonName: vek.subjectCommonName)) }
        let count = generation?.usesTurinTCBLayout == true ? 8 : 64
        let certified: [UInt8]
        switch extensionValue(.hwID, of: vek, decode: { (bytes: [UInt8]) throws(DERError) in
            try DERValue.rawOrOctetStringWrapped(bytes, count: count)
        }) {
        case .failure(let failure): return .fail(.hwID, failure)
        case .success(let value): certified = value
        }
        let chipID = Array(report.chipID.prefix(count))
        guard certified == chipID else { return .fail(.hwID, .hwIDMismatch(certificate: certified, report: chipID)) }
        return .pass(.hwID, "hwID == CHIP_ID\(count == 8 ? "[0..<8]" : "") \(chipID.prefix(8).hexString)…")
    }

    /// The decoded value of a required VEK extension, or the failure naming it.
    private static func extensionValue<Value>(
        _ item: VEKExtension, of vek: X509Certificate, decode: ([UInt8]) throws(DERError) -> Value
    ) -> Result<Value, VerificationFailure> {
        let raw: [UInt8]?
        do { raw = try vek.extensionValue(objectIdentifier: item.objectIdentifier) } catch {
            return .failure(.extensionDuplicated(item))
        }
        guard let raw else { return .failure(.extensionMissing(item)) }
        do { return .success(try decode(raw)) } catch { return .failure(.extensionMalformed(item, error)) }
    }
}
