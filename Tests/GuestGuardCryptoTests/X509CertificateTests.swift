import AMDCertificateProfile
import GuestGuardTestSupport
import Foundation
import GuestGuardCrypto
import Testing

@Suite struct X509CertificateTests {
    @Test(arguments: AMDCertificateVector.all)
    func amdCertificateFacts(vector: AMDCertificateVector) throws {
        let certificate = try vector.load()
        #expect(certificate.sha256Fingerprint.hexString == vector.sha256)
        #expect(certificate.subjectCommonName == vector.commonName)
        #expect(certificate.serialNumber.uint64Value == vector.serial)
        #expect(certificate.issuer.commonName == (try vector.loadIssuer().subjectCommonName))
        #expect(certificate.subject.attributes.map(\.type) == ["OU", "C", "L", "ST", "O", "CN"])
        #expect(try certificate.publicKey().algorithm == .rsa(bits: 4096))
        #expect(certificate.notBefore < certificate.notAfter)
    }

    @Test func milanARKValidityInUnixSeconds() throws {
        let ark = try X509Certificate(pemEncoded: Fixture.text("trustee/split_milan_ark.pem"))
        // notBefore Oct 22 17:23:05 2020 GMT, notAfter Oct 22 17:23:05 2045 GMT (openssl x509 -dates).
        #expect(ark.notBefore == 1_603_387_385)
        #expect(ark.notAfter == 2_392_305_785)
        #expect(ark.isValid(at: 1_603_387_385))
        #expect(!ark.isValid(at: 1_603_387_384))
        #expect(ark.isValid(at: 2_392_305_785))
        #expect(!ark.isValid(at: 2_392_305_786))
    }

    @Test func kdsCertChainHoldsASKThenARK() throws {
        let chain = try X509Certificate.certificates(pemEncoded: Fixture.text("virtee-sev/cert_chain_milan"))
        #expect(chain.map(\.subjectCommonName) == ["SEV-Milan", "ARK-Milan"])
        #expect(chain[0].isIssuerName(of: chain[1]))
        #expect(!chain[1].isIssuerName(of: chain[0]))
        #expect(throws: X509Error.expectedOneCertificate(found: 2)) {
            try X509Certificate(pemEncoded: Fixture.text("virtee-sev/cert_chain_milan"))
        }
    }

    @Test func derRoundTripAndPEMReencoding() throws {
        let der = try Fixture.bytes("go-sev-guest/vcek.testcer")
        let vcek = try X509Certificate(derEncoded: der)
        #expect(vcek.derBytes == der)
        let again = try X509Certificate(pemEncoded: vcek.pemEncoded())
        #expect(again.derBytes == der)
    }

    @Test func malformedInputsAreRejected() throws {
        let der = try Fixture.bytes("go-sev-guest/vcek.testcer")
        #expect(throws: X509Error.trailingData(count: 1)) { try X509Certificate(derEncoded: der + [0]) }
        #expect { try X509Certificate(derEncoded: Array(der.prefix(600))) } throws: { error in
            guard case .malformedDER(let openSSL) = error as? X509Error else { return false }
            return openSSL.operation == "d2i_X509" && !openSSL.entries.isEmpty
        }
        #expect { try X509Certificate.certificates(pemEncoded: "no pem here") } throws: { error in
            guard case .malformedPEM = error as? X509Error else { return false }
            return true
        }
        let key = try P384PrivateKey().pkcs8PEM()
        #expect(throws: X509Error.unexpectedPEMLabel("PRIVATE KEY")) { try X509Certificate.certificates(pemEncoded: key) }
    }

    @Test func vcekExtensionsFromGoSEVGuest() throws {
        let vcek = try X509Certificate(derEncoded: Fixture.bytes("go-sev-guest/vcek.testcer"))
        #expect(vcek.serialNumber.isZero)
        #expect(vcek.subjectCommonName == "SEV-VCEK")
        #expect(try vcek.publicKey().algorithm.isP384)
        func integer(_ oid: String) throws -> UInt64? {
            try vcek.extensionValue(objectIdentifier: oid).map(DERValue.unsignedInteger(from:))
        }
        #expect(try integer("1.3.6.1.4.1.3704.1.1") == 0)
        #expect(try integer("1.3.6.1.4.1.3704.1.3.1") == 2)
        #expect(try integer("1.3.6.1.4.1.3704.1.3.2") == 0)
        #expect(try integer("1.3.6.1.4.1.3704.1.3.3") == 5)
        #expect(try integer("1.3.6.1.4.1.3704.1.3.8") == 68)
        #expect(try vcek.extensionValue(objectIdentifier: "1.3.6.1.4.1.3704.1.2").map(DERValue.ia5String(from:)) == "Milan-B0")
        let hwID = try #require(try vcek.extensionValue(objectIdentifier: "1.3.6.1.4.1.3704.1.4"))
        #expect(try DERValue.rawOrOctetStringWrapped(hwID, count: 64).hexString
            == "3ac3fe21e13fb0990eb28a802e3fb6a29483a6b0753590c951bdd3b8e53786184ca39e359669a2b76a1936776b564ea464cdce40c05f63c9b610c5068b006b5d")
        #expect(try vcek.extensionValue(objectIdentifier: "1.3.6.1.4.1.3704.1.5") == nil)
    }

    @Test(arguments: ["trustee/test-vcek-invalid-legacy.der", "trustee/test-vcek-invalid-new.der"])
    func trusteeHwIDForms(file: String) throws {
        let vcek = try X509Certificate(derEncoded: Fixture.bytes(file))
        let hwID = try #require(try vcek.extensionValue(objectIdentifier: "1.3.6.1.4.1.3704.1.4"))
        #expect(hwID.count == (file.hasSuffix("legacy.der") ? 64 : 66))
        #expect(try DERValue.rawOrOctetStringWrapped(hwID, count: 64) == Array(0..<64))
    }

    @Test func turinVCEKHasEightByteHwIDAndFmcSPL() throws {
        let vcek = try X509Certificate(derEncoded: Fixture.bytes("virtee-sev/vcek_turin.der"))
        let hwID = try #require(try vcek.extensionValue(objectIdentifier: "1.3.6.1.4.1.3704.1.4"))
        #expect(try DERValue.rawOrOctetStringWrapped(hwID, count: 8).hexString == "1e550a8ee5cf9f4d")
        #expect(try vcek.extensionValue(objectIdentifier: "1.3.6.1.4.1.3704.1.3.9").map(DERValue.unsignedInteger(from:)) == 0)
        #expect(try vcek.extensionValue(objectIdentifier: "1.3.6.1.4.1.3704.1.3.8").map(DERValue.unsignedInteger(from:)) == 9)
        #expect(try vcek.extensionValue(objectIdentifier: "1.3.6.1.4.1.3704.1.2").map(DERValue.ia5String(from:)) == "Turin")
    }

    @Test func vlekHasCspIDAndNoHwID() throws {
        let vlek = try X509Certificate(derEncoded: Fixture.bytes("trustee/test-vlek.der"))
        #expect(vlek.subjectCommonName == "SEV-VLEK")
        #expect(vlek.issuer.commonName == "SEV-VLEK-Milan")
        #expect(try vlek.extensionValue(objectIdentifier: "1.3.6.1.4.1.3704.1.4") == nil)
        #expect(try vlek.extensionValue(objectIdentifier: "1.3.6.1.4.1.3704.1.5").map(DERValue.ia5String(from:)) == "CN=cc-us-east-2.amazonaws.com")
    }

    /// Every fixture certificate read by Python `cryptography` must give the same facts.
    @Test(arguments: [
        "trustee/split_milan_ark.pem", "trustee/split_genoa_asvk.pem", "trustee/split_turin_ask.pem",
        "go-sev-guest/vcek.testcer", "trustee/test-vlek.der", "virtee-sev/vcek_turin.der", "trustee/test-vcek-invalid-new.der",
    ])
    func factsMatchPythonCryptography(file: String) throws {
        let certificate = file.hasSuffix(".pem")
            ? try X509Certificate(pemEncoded: Fixture.text(file)) : try X509Certificate(derEncoded: Fixture.bytes(file))
        let path = try PythonPeer.temporaryFile(certificate.derBytes, suffix: ".der")
        let output = try PythonPeer.run(Self.factsScript, arguments: [path])
        let ours = ([
            certificate.sha256Fingerprint.hexString,
            certificate.serialNumber.description,
            String(certificate.notBefore),
            String(certificate.notAfter),
            certificate.subjectCommonName ?? "",
            certificate.issuer.commonName ?? "",
        ] + certificate.extensions.map { item in
            // Python re-encodes the RFC 5280 extensions it knows, so only compare raw bytes of the others.
            let value = item.objectIdentifier.hasPrefix("2.5.29.") ? "known" : item.value.hexString
            return "\(item.objectIdentifier) \(item.isCritical) \(value)"
        })
        #expect(output.split(separator: "\n").map(String.init) == ours)
    }

    private static let factsScript = """
        import sys, warnings
        warnings.simplefilter("ignore")
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        c = x509.load_der_x509_certificate(open(sys.argv[1], "rb").read())
        cn = lambda n: n.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
        print(c.fingerprint(hashes.SHA256()).hex())
        print(c.serial_number)
        print(int(c.not_valid_before_utc.timestamp()))
        print(int(c.not_valid_after_utc.timestamp()))
        print(cn(c.subject))
        print(cn(c.issuer))
        for e in c.extensions:
            raw = e.value.value.hex() if isinstance(e.value, x509.UnrecognizedExtension) else "known"
            print(e.oid.dotted_string, "true" if e.critical else "false", raw)
        """
}
