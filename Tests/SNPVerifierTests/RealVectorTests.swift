import GuestGuardCrypto
import SNPABI
import SNPVerifier
import Testing

@Suite struct RealVectorTests {
    @Test(arguments: RealVector.all)
    func verifiesAtFixedTime(vector: RealVector) throws {
        let report = try Fixture.report(vector.report)
        #expect(report.keyInfo.signingKey == vector.signer)
        let result = try amdVerifier().verify(report: report, vekDER: Fixture.bytes(vector.vek), at: fixedTime)
        #expect(result.isVerified, "\(result)")
        #expect(result.failures.isEmpty)
        #expect(result.checks.map(\.check) == SNPCheck.allCases)
        #expect(result.chainGeneration == vector.generation)
        #expect(!result.usedCachedChain)
    }

    @Test func everyResultLineIsPassOrFailWithTheCheckName() throws {
        let vector = RealVector.all[0]
        let result = try amdVerifier().verify(report: Fixture.report(vector.report), vekDER: Fixture.bytes(vector.vek), at: fixedTime)
        let lines = result.description.split(separator: "\n").map(String.init)
        #expect(lines.count == SNPCheck.allCases.count)
        for (line, check) in zip(lines, SNPCheck.allCases) {
            #expect(line.hasPrefix("PASS \(check.rawValue): "), "\(line)")
        }
        #expect(result[.hwID].description.contains("3ac3fe21e13fb099"))
        #expect(result[.fmcSPL].description == "PASS fmcSPL: not applicable: Milan has no FMC")
        #expect(result[.bootLoaderSPL].description == "PASS blSPL: blSPL 2 == REPORTED_TCB 2")
        #expect(result[.microcodeSPL].description == "PASS ucodeSPL: ucodeSPL 68 == REPORTED_TCB 68")
    }

    @Test func vlekReportWithMaskedChipID() throws {
        let result = try amdVerifier().verify(
            report: Fixture.report("trustee/test-vlek-report.bin"), vekDER: Fixture.bytes("trustee/test-vlek.der"), at: fixedTime)
        #expect(result.isVerified)
        #expect(result[.hwID].description == "PASS hwID: not applicable: a VLEK is not bound to a chip")
        #expect(result[.intermediateRole].description.contains("SEV-VLEK-Milan is an ASVK"))
        #expect(result[.generation].description.contains("model 0x1 is Milan"))
    }

    /// KDS `cert_chain` (ASK first, then ARK): the ASK passed explicitly is used.
    @Test func explicitIntermediateFromKDSCertChain() throws {
        let chain = try X509Certificate.certificates(pemEncoded: Fixture.text("go-sev-guest/milan.testcer"))
        #expect(chain.map(\.subjectCommonName) == ["SEV-Milan", "ARK-Milan"])
        let result = try amdVerifier().verify(
            report: Fixture.report("go-sev-guest/attestation.bin"), vekDER: Fixture.bytes("go-sev-guest/vcek.testcer"),
            intermediate: chain[0], at: fixedTime)
        #expect(result.isVerified, "\(result)")
    }

    @Test func amdTrustStoreHoldsThePinnedRoots() throws {
        let store = try AMDRootCertificates.trustStore()
        #expect(store.roots.map(\.generation) == [.milan, .genoa, .turin])
        for root in store.roots {
            let pinned = AMDRootCertificates.pinned(for: root.generation)
            #expect(root.origin == .amdPinned)
            #expect(root.ark.sha256Fingerprint.hexString == pinned.ark.sha256)
            #expect(root.intermediates.map { $0.sha256Fingerprint.hexString } == [pinned.ask.sha256, pinned.asvk.sha256])
            #expect(root.intermediates.map(\.subjectCommonName) == ["SEV-\(root.generation.kdsProductName)", "SEV-VLEK-\(root.generation.kdsProductName)"])
        }
    }
}
