import SNPABI
import Testing

/// The KDS URL scheme (`docs/snp-abi.md` §4.3) on the real report vectors.
@Suite struct KDSDocumentTests {
    /// go-sev-guest `verify_test.go` names this URL for `attestation.bin` (Milan, v2); only the
    /// SPL padding differs (KDS accepts both, Trustee and snpguest pad to two digits).
    @Test func milanVersion2ReportNeedsTheConfiguredProductAndNamesGoSEVGuestsURL() throws {
        let report = try AttestationReport(bytes: try ReportVector.goSEVGuestMilan.load())
        #expect(throws: KDSRequestError.productNotInReport(version: 2)) { try VCEKIdentity(report: report) }
        let identity = try VCEKIdentity(report: report, configuredGeneration: .milan)
        let path = KDSDocument.vcek(identity).path
        #expect(path == "/vcek/v1/Milan/3ac3fe21e13fb0990eb28a802e3fb6a29483a6b0753590c951bdd3b8e53786184ca39e359669a2b76a1936776b564ea464cdce40c05f63c9b610c5068b006b5d?blSPL=02&teeSPL=00&snpSPL=05&ucodeSPL=68")
        #expect(KDSDocument.certificateChain(.milan).path == "/vcek/v1/Milan/cert_chain")
        #expect(KDSDocument.revocationList(.milan).path == "/vcek/v1/Milan/crl")
        #expect(KDSDocument.vcek(identity).cacheName == "vcek-Milan-" + Hex.encode(report.chipID) + "-4405000000000002")
    }

    /// A v3 report names its product (family 0x19 model 0xA0 → Genoa) and it wins over configuration.
    @Test func genoaVersion3ReportNamesItsProduct() throws {
        let report = try AttestationReport(bytes: try ReportVector.trusteeGenoaV3.load())
        let identity = try VCEKIdentity(report: report, configuredGeneration: .milan)
        #expect(identity.generation == .genoa)
        #expect(KDSDocument.vcek(identity).path.hasPrefix("/vcek/v1/Genoa/371c55d6d15cb50f"))
        #expect(KDSDocument.vcek(identity).path.hasSuffix("?blSPL=10&teeSPL=00&snpSPL=23&ucodeSPL=25"))
        #expect(identity.hardwareID.count == 64)
    }

    /// Turin: 8-byte hwid and fmcSPL first (the real Turin VCEK of virtee/sev: hwid 1e550a8ee5cf9f4d, ucode 9).
    @Test func turinUsesEightByteHWIDAndFMC() throws {
        let chip = Hex.decode("1e550a8ee5cf9f4d")! + [UInt8](repeating: 0, count: 56)
        let tcb = TCBVersion(bootLoader: 1, tee: 2, snp: 3, microcode: 9, fmc: 4, generation: .turin)
        let identity = try VCEKIdentity(generation: .turin, chipID: chip, reportedTCB: tcb.rawValue)
        #expect(KDSDocument.vcek(identity).path == "/vcek/v1/Turin/1e550a8ee5cf9f4d?fmcSPL=04&blSPL=01&teeSPL=02&snpSPL=03&ucodeSPL=09")
        #expect(throws: KDSRequestError.turinChipIDTooLong) {
            try VCEKIdentity(generation: .turin, chipID: [UInt8](repeating: 1, count: 64), reportedTCB: 0)
        }
    }

    /// A masked CHIP_ID (AWS) and a VLEK-signed report cannot be fetched: cert_chain is required.
    @Test func maskedChipAndVLEKAreRefusedWithTheirReason() throws {
        let vlek = try AttestationReport(bytes: try ReportVector.trusteeVLEKMilan.load())
        #expect(throws: KDSRequestError.vlekNotServed) { try VCEKIdentity(report: vlek) }
        #expect(throws: KDSRequestError.chipIDMasked) {
            try VCEKIdentity(generation: .milan, chipID: [UInt8](repeating: 0, count: 64), reportedTCB: 0)
        }
        #expect(throws: KDSRequestError.wrongChipIDLength(generation: .genoa, expected: 64, actual: 8)) {
            try VCEKIdentity(generation: .genoa, chipID: [UInt8](repeating: 1, count: 8), reportedTCB: 0)
        }
    }
}
