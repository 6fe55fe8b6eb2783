import Foundation
import GuestGuardCrypto
import SNPABI
import SNPVerifier
import Testing

@Suite struct RealVectorFailureTests {
    /// One flipped bit in the signed region breaks the report signature; where the bit lands in a
    /// bound field, that binding fails too.
    /// (offset, checks that fail besides report-signature).
    static let flips: [(offset: Int, alsoFailing: Set<SNPCheck>)] = [
        (0x004, []),  // GUEST_SVN
        (0x010, []),  // FAMILY_ID
        (0x050, []),  // REPORT_DATA
        (0x090, []),  // MEASUREMENT
        (0x0C0, []),  // HOST_DATA
        (0x140, []),  // REPORT_ID
        (0x180, [.bootLoaderSPL]),  // REPORTED_TCB byte 0
        (0x1A0, [.hwID]),  // CHIP_ID
        (0x1E8, []),  // CURRENT_BUILD
    ]

    @Test(arguments: flips)
    func flippedBitInSignedRegion(offset: Int, alsoFailing: Set<SNPCheck>) throws {
        var bytes = try Fixture.bytes("go-sev-guest/attestation.bin")
        bytes[offset] ^= 0x01
        let result = try amdVerifier().verify(
            report: AttestationReport(bytes: bytes), vekDER: Fixture.bytes("go-sev-guest/vcek.testcer"), at: fixedTime)
        #expect(result.failedChecks == alsoFailing.union([.reportSignature]), "\(result)")
        #expect(result[.reportSignature].failure == .reportSignatureInvalid)
    }

    @Test func flippedSignatureByte() throws {
        var bytes = try Fixture.bytes("trustee/test-report.bin")
        bytes[0x2A0] ^= 0x01  // R, least significant byte
        let result = try amdVerifier().verify(
            report: AttestationReport(bytes: bytes), vekDER: Fixture.bytes("trustee/test-vcek.der"), at: fixedTime)
        #expect(result.failedChecks == [.reportSignature])
    }

    /// virtee's Milan report against trustee's VCEK: same TCB (3/0/8/115), another chip.
    @Test func anotherChipsVCEK() throws {
        let report = try Fixture.report("virtee-sev/report_milan.hex")
        let result = try amdVerifier().verify(report: report, vekDER: Fixture.bytes("trustee/test-vcek.der"), at: fixedTime)
        #expect(result.failedChecks == [.reportSignature, .hwID])
        guard case .hwIDMismatch(let certified, let reported) = result[.hwID].failure else {
            Issue.record("hwID: \(result[.hwID])")
            return
        }
        #expect(reported == report.chipID)
        #expect(certified.prefix(8).hexString == "c38427a30d4c7af9")
    }

    /// go-sev-guest's report (TCB 2/0/5/68) against trustee's VCEK (3/0/8/115): every differing SPL is named.
    @Test func anotherChipsVCEKWithOtherTCB() throws {
        let result = try amdVerifier().verify(
            report: Fixture.report("go-sev-guest/attestation.bin"), vekDER: Fixture.bytes("trustee/test-vcek.der"), at: fixedTime)
        #expect(result.failedChecks == [.reportSignature, .hwID, .bootLoaderSPL, .snpSPL, .microcodeSPL])
        #expect(result[.bootLoaderSPL].failure == .tcbMismatch(.bootLoaderSPL, certificate: 3, report: 2))
        #expect(result[.snpSPL].failure == .tcbMismatch(.snpSPL, certificate: 8, report: 5))
        #expect(result[.microcodeSPL].failure == .tcbMismatch(.microcodeSPL, certificate: 115, report: 68))
    }

    @Test func vlekOfferedWithASK() throws {
        let result = try amdVerifier().verify(
            report: Fixture.report("trustee/test-vlek-report.bin"), vekDER: Fixture.bytes("trustee/test-vlek.der"),
            intermediate: Fixture.certificate("trustee/split_milan_ask.pem"), at: fixedTime)
        #expect(result[.vekSignature].failure == .issuerNameMismatch(certificate: "SEV-VLEK", issuer: "SEV-VLEK-Milan", expectedIssuer: "SEV-Milan"))
        #expect(result[.intermediateRole].failure == .wrongIntermediateRole(vek: .vlek, intermediate: "SEV-Milan", role: .ask))
        #expect(!result.isVerified)
    }

    @Test func vcekOfferedWithASVK() throws {
        let result = try amdVerifier().verify(
            report: Fixture.report("trustee/test-report.bin"), vekDER: Fixture.bytes("trustee/test-vcek.der"),
            intermediate: Fixture.certificate("trustee/split_milan_asvk.pem"), at: fixedTime)
        #expect(result[.vekSignature].failure == .issuerNameMismatch(certificate: "SEV-VCEK", issuer: "SEV-Milan", expectedIssuer: "SEV-VLEK-Milan"))
        #expect(result[.intermediateRole].failure == .wrongIntermediateRole(vek: .vcek, intermediate: "SEV-VLEK-Milan", role: .asvk))
    }

    /// trustee's parser-robustness VCEKs: hwID 00 01 … 3f (raw 64 bytes, and wrapped in an OCTET
    /// STRING). Both forms decode; the hwID does not match, and neither is signed by the ASK.
    @Test(arguments: ["trustee/test-vcek-invalid-legacy.der", "trustee/test-vcek-invalid-new.der"])
    func trusteeInvalidVCEKs(file: String) throws {
        let report = try Fixture.report("trustee/test-report.bin")
        let result = try amdVerifier().verify(report: report, vekDER: Fixture.bytes(file), at: fixedTime)
        #expect(result[.hwID].failure == .hwIDMismatch(certificate: Array(0..<64), report: report.chipID))
        guard case .signatureInvalid(let certificate, .signatureInvalid(let openSSL)) = result[.vekSignature].failure else {
            Issue.record("vek-signature: \(result[.vekSignature])")
            return
        }
        #expect(certificate == "SEV-VCEK")
        #expect(openSSL.operation == "X509_verify")
        #expect(result[.reportSignature].failure == .reportSignatureInvalid)
        #expect(!result.isVerified)
    }

    @Test func vlekExpiredNow() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let result = try amdVerifier().verify(
            report: Fixture.report("trustee/test-vlek-report.bin"), vekDER: Fixture.bytes("trustee/test-vlek.der"), at: now)
        #expect(result.failedChecks == [.vekValidity])
        #expect(result[.vekValidity].failure == .expired(certificate: "SEV-VLEK", notAfter: 1_765_404_861, time: now))
    }

    @Test func vcekNotYetValid() throws {
        let result = try amdVerifier().verify(
            report: Fixture.report("trustee/e2e-report-v3-genoa.reconstructed.bin"), vekDER: Fixture.bytes("trustee/e2e-vcek-genoa.der"),
            at: 1_700_000_000)
        #expect(result.failedChecks == [.vekValidity])
        guard case .notYetValid(let name, _, _) = result[.vekValidity].failure else {
            Issue.record("\(result[.vekValidity])")
            return
        }
        #expect(name == "SEV-VCEK")
    }

    @Test func wrongPinnedFingerprintIsFatal() throws {
        let milanPEM = try Fixture.text("trustee/split_milan_ark.pem")
        let genoaFingerprint = AMDRootCertificates.pinned(for: .genoa).ark.sha256
        let pinned = PinnedCertificate(name: "ARK-Milan", sha256: genoaFingerprint, pem: milanPEM)
        let expected = TrustStoreError.fingerprintMismatch(
            name: "ARK-Milan", expected: genoaFingerprint, actual: AMDRootCertificates.pinned(for: .milan).ark.sha256)
        #expect(throws: expected) { try pinned.load() }
        #expect(throws: expected) { try TrustedRoot(generation: .milan, pinnedARK: pinned, pinnedIntermediates: []) }
    }

    /// A verifier that trusts only the Genoa root refuses a Milan chain, with or without the ASK supplied.
    @Test func rootNotInTrustStore() throws {
        let genoa = AMDRootCertificates.pinned(for: .genoa)
        let store = TrustStore(roots: [try TrustedRoot(generation: .genoa, pinnedARK: genoa.ark, pinnedIntermediates: [genoa.ask, genoa.asvk])])
        let verifier = SNPReportVerifier(trustStore: store)
        let report = try Fixture.report("go-sev-guest/attestation.bin")
        let vcek = try Fixture.bytes("go-sev-guest/vcek.testcer")
        let alone = try verifier.verify(report: report, vekDER: vcek, at: fixedTime)
        #expect(alone[.vekSignature].failure == .intermediateNotFound(issuer: "SEV-Milan"))
        #expect(alone[.rootTrusted].failure == .notEvaluated(prerequisite: .vekSignature))
        let withASK = try verifier.verify(report: report, vekDER: vcek, intermediate: Fixture.certificate("trustee/split_milan_ask.pem"), at: fixedTime)
        #expect(withASK[.rootTrusted].failure == .rootNotTrusted(issuer: "ARK-Milan"))
        #expect(withASK[.vekSignature].passed)
        #expect(withASK[.reportSignature].passed)
        #expect(!withASK.isVerified)
    }

    /// An ARK that is not AMD's, offered as a root, must verify as self-signed; a non-root is refused.
    @Test func trustedRootRequiresSelfSignedARK() throws {
        let ask = try Fixture.certificate("trustee/split_milan_ask.pem")
        #expect(throws: TrustStoreError.arkNotSelfIssued(name: "SEV-Milan", issuer: ask.issuer.description)) {
            try TrustedRoot(generation: .milan, ark: ask)
        }
        let genoaARK = try Fixture.certificate("trustee/split_genoa_ark.pem")
        #expect(throws: TrustStoreError.intermediateNotIssuedByARK(name: "SEV-Milan", issuer: ask.issuer.description, ark: "ARK-Genoa")) {
            try TrustedRoot(generation: .genoa, ark: genoaARK, intermediates: [ask])
        }
    }

    @Test func malformedVEKThrows() throws {
        #expect(throws: SNPVerificationError.malformedVEK(.trailingData(count: 1))) {
            try amdVerifier().verify(
                report: Fixture.report("go-sev-guest/attestation.bin"), vekDER: Fixture.bytes("go-sev-guest/vcek.testcer") + [0],
                at: fixedTime)
        }
    }
}
