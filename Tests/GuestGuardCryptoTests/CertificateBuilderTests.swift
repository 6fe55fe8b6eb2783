import AMDCertificateProfile
import GuestGuardTestSupport
import Foundation
import GuestGuardCrypto
import Testing

@Suite struct CertificateBuilderTests {
    /// A simulated AMD chain: self-signed RSA-4096 ARK and a P-384 VCEK with AMD's extensions
    /// (raw 64-byte hwID, SPL INTEGERs, productName IA5String) and serial 0, signed by the ARK.
    struct SimulatedChain {
        let arkKey: RSAPrivateKey
        let ark: X509Certificate
        let vcek: X509Certificate
        let vcekExtensions: [X509Extension]

        init() throws {
            arkKey = try TestKeys.rsaAMDSize()
            let arkName = X509Name([
                .init(type: "OU", value: "Engineering"), .init(type: "C", value: "US"), .init(type: "L", value: "Santa Clara"),
                .init(type: "ST", value: "CA"), .init(type: "O", value: "Advanced Micro Devices"), .init(type: "CN", value: "ARK-Simulated"),
            ])
            var arkBuilder = CertificateBuilder(
                subject: arkName, subjectPublicKey: try arkKey.publicKey(), notBefore: 1_603_387_385, notAfter: 2_392_305_785)
            arkBuilder.serialNumber = [0x01, 0x00, 0x00]
            ark = try arkBuilder.sign(with: arkKey)
            vcekExtensions = [
                X509Extension(objectIdentifier: "1.3.6.1.4.1.3704.1.1", value: DERValue.encodeUnsignedInteger(0)),
                X509Extension(objectIdentifier: "1.3.6.1.4.1.3704.1.2", value: DERValue.encodeIA5String("Milan-B0")),
                X509Extension(objectIdentifier: "1.3.6.1.4.1.3704.1.3.1", value: DERValue.encodeUnsignedInteger(3)),
                X509Extension(objectIdentifier: "1.3.6.1.4.1.3704.1.3.8", value: DERValue.encodeUnsignedInteger(209)),
                X509Extension(objectIdentifier: "1.3.6.1.4.1.3704.1.4", value: Array(0..<64)),
            ]
            var vcekBuilder = CertificateBuilder(
                subject: .commonName("SEV-VCEK"), subjectPublicKey: try P384PrivateKey().publicKey(),
                notBefore: 1_663_980_928, notAfter: 1_884_732_928)
            vcekBuilder.issuer = arkName
            vcekBuilder.extensions = vcekExtensions
            vcek = try vcekBuilder.sign(with: arkKey)
        }
    }

    @Test func builtChainVerifiesWithOurVerifier() throws {
        let chain = try SimulatedChain()
        try chain.ark.verifyAMDSignature(issuerKey: chain.ark.publicKey())
        try chain.vcek.verifyAMDSignature(issuerKey: chain.ark.publicKey())
        #expect(chain.vcek.isIssuerName(of: chain.ark))
        #expect(chain.ark.isIssuerName(of: chain.ark))
        #expect(chain.vcek.serialNumber.isZero)
        #expect(chain.ark.serialNumber.uint64Value == 65536)
        #expect(chain.vcek.extensions == chain.vcekExtensions)
        #expect(chain.vcek.notBefore == 1_663_980_928 && chain.vcek.notAfter == 1_884_732_928)
        #expect(chain.ark.subject.description == "OU=Engineering, C=US, L=Santa Clara, ST=CA, O=Advanced Micro Devices, CN=ARK-Simulated")
        #expect(try chain.vcek.publicKey().algorithm.isP384)
        // A different key's signature does not verify.
        #expect { try chain.vcek.verifyAMDSignature(issuerKey: TestKeys.rsaSmall().publicKey()) } throws: { error in
            if case .signatureInvalid = error as? CertificateSignatureError { return true }
            return false
        }
    }

    @Test func generalizedTimeAfter2049() throws {
        var builder = CertificateBuilder(
            subject: .commonName("late"), subjectPublicKey: try P384PrivateKey().publicKey(), notBefore: 0, notAfter: 4_102_444_800)
        builder.serialNumber = [0x80]
        let certificate = try builder.sign(with: TestKeys.rsaSmall())
        #expect(certificate.notBefore == 0)
        #expect(certificate.notAfter == 4_102_444_800)  // 2100-01-01, encoded as GeneralizedTime
        #expect(certificate.serialNumber.uint64Value == 128)
    }

    /// Python `cryptography` checks what we built: RSASSA-PSS/SHA-384/MGF1-SHA-384/salt 48
    /// signatures on both certificates, serial 0 and the raw extension bytes.
    @Test func builtChainVerifiesWithPythonCryptography() throws {
        let chain = try SimulatedChain()
        let arkPath = try PythonPeer.temporaryFile(chain.ark.derBytes, suffix: ".der")
        let vcekPath = try PythonPeer.temporaryFile(chain.vcek.derBytes, suffix: ".der")
        let output = try PythonPeer.run(
            """
            import sys, warnings
            warnings.simplefilter("ignore")
            from cryptography import x509
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import padding
            ark = x509.load_der_x509_certificate(open(sys.argv[1], "rb").read())
            vcek = x509.load_der_x509_certificate(open(sys.argv[2], "rb").read())
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=48)
            for c in (ark, vcek):
                assert c.signature_algorithm_oid == x509.SignatureAlgorithmOID.RSASSA_PSS, c.signature_algorithm_oid
                ark.public_key().verify(c.signature, c.tbs_certificate_bytes, pss, hashes.SHA384())
            print(vcek.serial_number, vcek.issuer == ark.subject)
            for e in vcek.extensions:
                print(e.oid.dotted_string, e.value.value.hex())
            """,
            arguments: [arkPath, vcekPath])
        let expected = ["0 True"] + chain.vcekExtensions.map { "\($0.objectIdentifier) \($0.value.hexString)" }
        #expect(output.split(separator: "\n").map(String.init) == expected)
    }

    /// Certificates built by Python `cryptography` with RSASSA-PSS: salt 48 passes our profile,
    /// salt 32 is rejected by name.
    @Test(arguments: [48, 32])
    func pythonBuiltPSSCertificates(saltLength: Int) throws {
        let output = try PythonPeer.run(
            """
            import sys, datetime
            from cryptography import x509
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import rsa, ec, padding
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "ARK-Python")])
            cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(ec.generate_private_key(ec.SECP384R1()).public_key()).serial_number(1)
                .not_valid_before(datetime.datetime(2024, 1, 1)).not_valid_after(datetime.datetime(2030, 1, 1))
                .sign(key, hashes.SHA384(), rsa_padding=padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=int(sys.argv[1]))))
            spki = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
            print(cert.public_bytes(serialization.Encoding.DER).hex(), spki.hex())
            """,
            arguments: [String(saltLength)])
        let fields = output.split(separator: " ").map { hexBytes($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let certificate = try X509Certificate(derEncoded: fields[0])
        let issuerKey = try PublicKey(subjectPublicKeyInfoDER: fields[1])
        if saltLength == 48 {
            try certificate.verifyAMDSignature(issuerKey: issuerKey)
        } else {
            #expect(throws: CertificateSignatureError.saltLength(UInt64(saltLength))) {
                try certificate.verifyAMDSignature(issuerKey: issuerKey)
            }
        }
    }
}
