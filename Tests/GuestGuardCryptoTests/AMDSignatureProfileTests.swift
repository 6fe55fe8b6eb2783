import AMDCertificateProfile
import GuestGuardCrypto
import Testing

@Suite struct AMDSignatureProfileTests {
    @Test(arguments: AMDCertificateVector.all)
    func realAMDCertificatesVerifyUnderTheirARK(vector: AMDCertificateVector) throws {
        let certificate = try vector.load()
        let ark = try vector.loadIssuer()
        try certificate.verifyAMDSignature(issuerKey: ark.publicKey())
        #expect(certificate.isIssuerName(of: ark))
    }

    @Test(arguments: [
        ("go-sev-guest/vcek.testcer", "trustee/split_milan_ask.pem"),
        ("trustee/test-vcek.der", "trustee/split_milan_ask.pem"),
        ("trustee/test-vlek.der", "trustee/split_milan_asvk.pem"),
        ("virtee-sev/vcek_turin.der", "trustee/split_turin_ask.pem"),
    ])
    func realVEKsVerifyUnderTheirIntermediate(vek: String, intermediate: String) throws {
        let certificate = try X509Certificate(derEncoded: Fixture.bytes(vek))
        let issuer = try X509Certificate(pemEncoded: Fixture.text(intermediate))
        try certificate.checkAMDSignatureAlgorithm()
        try certificate.verifyAMDSignature(issuerKey: issuer.publicKey())
    }

    @Test(arguments: [
        ("go-sev-guest/vcek.testcer", "trustee/split_milan_ark.pem"),
        ("go-sev-guest/vcek.testcer", "trustee/split_milan_asvk.pem"),
        ("trustee/test-vlek.der", "trustee/split_milan_ask.pem"),
        ("trustee/test-vcek-invalid-legacy.der", "trustee/split_milan_ask.pem"),
        ("trustee/test-vcek-invalid-new.der", "trustee/split_milan_ask.pem"),
    ])
    func wrongIssuerKeyOrForgedSignatureIsRejected(vek: String, issuerFile: String) throws {
        let certificate = try X509Certificate(derEncoded: Fixture.bytes(vek))
        let issuer = try X509Certificate(pemEncoded: Fixture.text(issuerFile))
        #expect { try certificate.verifyAMDSignature(issuerKey: issuer.publicKey()) } throws: { error in
            guard case .signatureInvalid(let openSSL) = error as? CertificateSignatureError else { return false }
            return openSSL.operation == "X509_verify"
        }
    }

    @Test func genoaASKDoesNotVerifyUnderMilanARK() throws {
        let ask = try X509Certificate(pemEncoded: Fixture.text("trustee/split_genoa_ask.pem"))
        let ark = try X509Certificate(pemEncoded: Fixture.text("trustee/split_milan_ark.pem"))
        #expect(!ask.isIssuerName(of: ark))
        #expect { try ask.verifyAMDSignature(issuerKey: ark.publicKey()) } throws: { error in
            if case .signatureInvalid = error as? CertificateSignatureError { return true }
            return false
        }
    }

    @Test func ecIssuerKeyIsRejectedBeforeVerifying() throws {
        let vcek = try X509Certificate(derEncoded: Fixture.bytes("go-sev-guest/vcek.testcer"))
        let ecKey = try vcek.publicKey()
        #expect(throws: CertificateSignatureError.issuerKeyNotRSA(ecKey.algorithm)) { try vcek.verifyAMDSignature(issuerKey: ecKey) }
    }

    @Test(arguments: [
        (CertificateSignatureScheme.rsaPKCS1v15(hash: .sha384), CertificateSignatureError.notRSASSAPSS(objectIdentifier: KnownOID.sha384WithRSAEncryption)),
        (.rsaPSS(hash: .sha256, maskGenerationHash: .sha384, saltLength: 48), .hashNotSHA384(objectIdentifier: KnownOID.sha256)),
        (.rsaPSS(hash: .sha384, maskGenerationHash: .sha256, saltLength: 48), .maskGenerationHashNotSHA384(objectIdentifier: KnownOID.sha256)),
        (.rsaPSS(hash: .sha384, maskGenerationHash: .sha384, saltLength: 32), .saltLength(32)),
        (.rsaPSS(hash: .sha512, maskGenerationHash: .sha512, saltLength: 64), .hashNotSHA384(objectIdentifier: KnownOID.sha512)),
    ])
    func otherSignatureAlgorithmsAreRejectedByName(scheme: CertificateSignatureScheme, expected: CertificateSignatureError) throws {
        let signer = try TestKeys.rsaSmall()
        let certificate = try TestKeys.certificate(
            commonName: "test", subjectKey: P384PrivateKey().publicKey(), signer: signer, scheme: scheme)
        // The signature itself is good: OpenSSL's own verify accepts it. Only the profile rejects it.
        #expect(throws: expected) { try certificate.verifyAMDSignature(issuerKey: signer.publicKey()) }
    }

    @Test func pssParametersDecodeWithDefaults() throws {
        // SEQUENCE { OID rsassaPss, SEQUENCE {} }: every field takes its RFC 4055 default.
        let der: [UInt8] = [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A, 0x30, 0x00]
        let algorithm = try CertificateSignatureAlgorithm(algorithmIdentifierDER: der)
        #expect(algorithm.rsaPSSParameters == RSAPSSParameters(
            hashAlgorithm: KnownOID.sha1, maskGenerationAlgorithm: KnownOID.mgf1, maskGenerationHash: KnownOID.sha1,
            saltLength: 20, trailerField: 1))
        #expect(throws: DERError.malformed(what: "AlgorithmIdentifier", code: "invalidASN1Object", reason: "Trailing unparsed data is present")) {
            try CertificateSignatureAlgorithm(algorithmIdentifierDER: der + [0])
        }
    }

    @Test func realVCEKAlgorithmDecodesToTheAMDProfile() throws {
        let vcek = try X509Certificate(derEncoded: Fixture.bytes("go-sev-guest/vcek.testcer"))
        let encoded = try vcek.signatureAlgorithmDER()
        #expect(encoded.outer == encoded.tbs)
        let algorithm = try CertificateSignatureAlgorithm(algorithmIdentifierDER: encoded.outer)
        #expect(algorithm.objectIdentifier == KnownOID.rsassaPSS)
        #expect(algorithm.rsaPSSParameters == RSAPSSParameters(
            hashAlgorithm: KnownOID.sha384, maskGenerationAlgorithm: KnownOID.mgf1, maskGenerationHash: KnownOID.sha384,
            saltLength: 48, trailerField: 1))
    }
}
