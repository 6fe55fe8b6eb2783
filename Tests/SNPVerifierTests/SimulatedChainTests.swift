import GuestGuardCrypto
import SNPABI
import SNPVerifier
import Testing

/// Failure modes real vectors cannot show, on a simulated AMD PKI added as an explicit root.
@Suite struct SimulatedChainTests {
    @Test(arguments: ProcessorGeneration.allCases)
    func simulatedVCEKVerifiesOnceItsRootIsAdded(generation: ProcessorGeneration) throws {
        let amd = try SimulatedAMD(generation: generation)
        let fields = amd.defaultFields()
        let vek = try amd.issueVEK(fields)
        let report = try SimulatedAMD.sign(amd.draft(for: fields), with: vek.key)
        let result = try amd.verifier().verify(report: report, vekDER: vek.certificate.derBytes, at: fixedTime)
        #expect(result.isVerified, "\(result)")
        #expect(result[.rootTrusted].description.contains("root added by the caller"))
        #expect(vek.certificate.serialNumber.isZero)
        // AMD's roots alone do not trust it (the ASK of the same name has another key).
        let untrusted = try amdVerifier().verify(report: report, vekDER: vek.certificate.derBytes, at: fixedTime)
        guard case .signatureInvalid(_, .signatureInvalid) = untrusted[.vekSignature].failure else {
            Issue.record("\(untrusted[.vekSignature])")
            return
        }
        #expect(untrusted[.reportSignature].passed)
    }

    @Test func turinBindsFmcSPLAndEightByteHwID() throws {
        let amd = try SimulatedAMD(generation: .turin)
        let fields = amd.defaultFields()
        let vek = try amd.issueVEK(fields)
        let result = try amd.verifier().verify(report: SimulatedAMD.sign(amd.draft(for: fields), with: vek.key), vekDER: vek.certificate.derBytes, at: fixedTime)
        #expect(result[.fmcSPL].description == "PASS fmcSPL: fmcSPL 2 == REPORTED_TCB 2")
        #expect(result[.hwID].description.contains("CHIP_ID[0..<8] 0102030405060708"))

        var other = fields
        other.tcb = TCBVersion(bootLoader: 3, tee: 0, snp: 8, microcode: 115, fmc: 1, generation: .turin)
        let mismatched = try amd.verifier().verify(
            report: SimulatedAMD.sign(amd.draft(for: other), with: vek.key), vekDER: vek.certificate.derBytes, at: fixedTime)
        #expect(mismatched.failedChecks == [.fmcSPL])
        #expect(mismatched[.fmcSPL].failure == .tcbMismatch(.fmcSPL, certificate: 2, report: 1))
    }

    /// The VEK certifies blSPL 4 while the report's REPORTED_TCB says 3.
    @Test func vekWithDisagreeingTCB() throws {
        let amd = try SimulatedAMD(generation: .milan)
        var certified = amd.defaultFields()
        certified.tcb = TCBVersion(bootLoader: 4, tee: 1, snp: 8, microcode: 115, generation: .milan)
        let vek = try amd.issueVEK(certified)
        let report = try SimulatedAMD.sign(amd.draft(for: amd.defaultFields()), with: vek.key)
        let result = try amd.verifier().verify(report: report, vekDER: vek.certificate.derBytes, at: fixedTime)
        #expect(result.failedChecks == [.bootLoaderSPL, .teeSPL])
        #expect(result[.bootLoaderSPL].failure == .tcbMismatch(.bootLoaderSPL, certificate: 4, report: 3))
        #expect(result[.teeSPL].failure == .tcbMismatch(.teeSPL, certificate: 1, report: 0))
    }

    /// An ASVK with a consistent name issuing a VCEK: the signature is fine, the role is not.
    @Test func vcekIssuedByASVK() throws {
        let amd = try SimulatedAMD(generation: .genoa)
        var fields = amd.defaultFields()
        fields.swapIntermediate = true
        let vek = try amd.issueVEK(fields)
        let result = try amd.verifier().verify(
            report: SimulatedAMD.sign(amd.draft(for: fields), with: vek.key), vekDER: vek.certificate.derBytes, at: fixedTime)
        #expect(result.failedChecks == [.intermediateRole])
        #expect(result[.intermediateRole].failure == .wrongIntermediateRole(vek: .vcek, intermediate: "SEV-VLEK-Genoa", role: .asvk))
    }

    @Test func vlekIssuedByASK() throws {
        let amd = try SimulatedAMD(generation: .milan)
        var fields = amd.defaultFields()
        fields.kind = .vlek
        fields.swapIntermediate = true
        let vek = try amd.issueVEK(fields)
        let result = try amd.verifier().verify(
            report: SimulatedAMD.sign(amd.draft(for: fields), with: vek.key), vekDER: vek.certificate.derBytes, at: fixedTime)
        #expect(result.failedChecks == [.intermediateRole])
    }

    @Test func signingKeyMustMatchTheCertificateKind() throws {
        let amd = try SimulatedAMD(generation: .milan)
        var fields = amd.defaultFields()
        fields.kind = .vlek
        let vlek = try amd.issueVEK(fields)
        var draft = amd.draft(for: fields)
        draft.keyInfo = KeyInfo(rawValue: 0)  // claims VCEK
        let result = try amd.verifier().verify(report: SimulatedAMD.sign(draft, with: vlek.key), vekDER: vlek.certificate.derBytes, at: fixedTime)
        #expect(result.failedChecks == [.signingKey])
        #expect(result[.signingKey].failure == .signingKeyMismatch(report: .vcek, certificate: .vlek))
    }

    @Test func unsignedReportIsRefused() throws {
        let amd = try SimulatedAMD(generation: .milan)
        let fields = amd.defaultFields()
        let vek = try amd.issueVEK(fields)
        var draft = amd.draft(for: fields)
        draft.keyInfo = KeyInfo(rawValue: UInt32(SigningKey.none.fieldValue) << 2)
        let report = try AttestationReport(bytes: draft.serializedBytes())
        let result = try amd.verifier().verify(report: report, vekDER: vek.certificate.derBytes, at: fixedTime)
        #expect(result.failedChecks == [.signingKey, .reportSignature])
        #expect(result[.signingKey].failure == .reportUnsigned)
    }

    @Test func productNameMustNameTheGeneration() throws {
        let amd = try SimulatedAMD(generation: .milan)
        var fields = amd.defaultFields()
        fields.productName = "Genoa"
        let vek = try amd.issueVEK(fields)
        let result = try amd.verifier().verify(
            report: SimulatedAMD.sign(amd.draft(for: fields), with: vek.key), vekDER: vek.certificate.derBytes, at: fixedTime)
        #expect(result.failedChecks == [.productName])
        #expect(result[.productName].failure == .productNameMismatch(productName: "Genoa", expected: .milan))
    }

    @Test func reportCPUIDMustMatchTheChain() throws {
        let amd = try SimulatedAMD(generation: .milan)
        let fields = amd.defaultFields()
        let vek = try amd.issueVEK(fields)
        var draft = amd.draft(for: fields)
        draft.cpuid = (0x19, 0x11, 0x01)  // Genoa
        let result = try amd.verifier().verify(report: SimulatedAMD.sign(draft, with: vek.key), vekDER: vek.certificate.derBytes, at: fixedTime)
        #expect(result.failedChecks == [.generation])
        #expect(result[.generation].failure == .generationMismatch(report: .genoa, chain: .milan))
    }

    @Test func maskedChipIDSkipsHwIDBinding() throws {
        let amd = try SimulatedAMD(generation: .milan)
        let fields = amd.defaultFields()
        let vek = try amd.issueVEK(fields)
        var draft = amd.draft(for: fields)
        draft.keyInfo = KeyInfo(rawValue: 0b10)  // MASK_CHIP_KEY, VCEK
        draft.chipID = [UInt8](repeating: 0, count: 64)
        let result = try amd.verifier().verify(report: SimulatedAMD.sign(draft, with: vek.key), vekDER: vek.certificate.derBytes, at: fixedTime)
        #expect(result.isVerified)
        #expect(result[.hwID].description == "PASS hwID: not applicable: MASK_CHIP_KEY is set, CHIP_ID is zero")
    }

    @Test func missingExtensionIsNamed() throws {
        let amd = try SimulatedAMD(generation: .milan)
        var fields = amd.defaultFields()
        fields.kind = .vlek
        let vlek = try amd.issueVEK(fields)
        // A VLEK passed off as a VCEK: wrong role, wrong kind for KEY_INFO, and no hwID.
        var draft = amd.draft(for: fields)
        draft.keyInfo = KeyInfo(rawValue: 0)
        let report = try SimulatedAMD.sign(draft, with: vlek.key)
        let result = try amd.verifier().verify(report: report, vekDER: vlek.certificate.derBytes, at: fixedTime)
        #expect(result[.signingKey].failure == .signingKeyMismatch(report: .vcek, certificate: .vlek))
        #expect(result[.hwID].passed)  // VLEKs are not chip-bound; the signing-key check is what fails
    }

    @Test func expiredIntermediateAndARK() throws {
        let amd = try SimulatedAMD(generation: .milan)
        let fields = amd.defaultFields()
        let vek = try amd.issueVEK(fields)
        let report = try SimulatedAMD.sign(amd.draft(for: fields), with: vek.key)
        let late = SimulatedAMD.caValidity.upperBound + 1
        let result = try amd.verifier().verify(report: report, vekDER: vek.certificate.derBytes, at: late)
        #expect(result.failedChecks == [.arkValidity, .intermediateValidity, .vekValidity])
        #expect(result[.arkValidity].failure == .expired(certificate: "ARK-Milan", notAfter: SimulatedAMD.caValidity.upperBound, time: late))
    }
}
