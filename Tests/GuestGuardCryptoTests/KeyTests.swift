import GuestGuardCrypto
import Testing

@Suite struct KeyTests {
    @Test func p384PKCS8RoundTrip() throws {
        let key = try P384PrivateKey()
        let pem = try key.pkcs8PEM()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let imported = try P384PrivateKey(pkcs8PEM: pem)
        #expect(try imported.publicKey().subjectPublicKeyInfoDER() == key.publicKey().subjectPublicKeyInfoDER())
        let message = Array("report".utf8)
        #expect(try key.publicKey().isValidP384SHA384Signature(imported.signSHA384(message), over: message))
    }

    @Test func subjectPublicKeyInfoRoundTrip() throws {
        let spki = try P384PrivateKey().publicKey().subjectPublicKeyInfoDER()
        let key = try PublicKey(subjectPublicKeyInfoDER: spki)
        #expect(try key.subjectPublicKeyInfoDER() == spki)
        #expect(key.algorithm == .ellipticCurve(group: "secp384r1"))
        #expect(throws: KeyError.trailingData(count: 2)) { try PublicKey(subjectPublicKeyInfoDER: spki + [0, 0]) }
    }

    @Test func rsaPKCS8RoundTripAndTypeChecks() throws {
        let rsa = try TestKeys.rsaSmall()
        #expect(rsa.bits == 2048)
        let pem = try rsa.pkcs8PEM()
        #expect(try RSAPrivateKey(pkcs8PEM: pem).publicKey().subjectPublicKeyInfoDER() == rsa.publicKey().subjectPublicKeyInfoDER())
        #expect(throws: KeyError.wrongKeyType(expected: "EC P-384", actual: .rsa(bits: 2048))) { try P384PrivateKey(pkcs8PEM: pem) }
        let ecPEM = try P384PrivateKey().pkcs8PEM()
        #expect(throws: KeyError.wrongKeyType(expected: "RSA", actual: .ellipticCurve(group: "secp384r1"))) {
            try RSAPrivateKey(pkcs8PEM: ecPEM)
        }
    }

    @Test func certificatePEMIsNotAKey() throws {
        let pem = try Fixture.text("trustee/split_milan_ark.pem")
        #expect(throws: KeyError.unexpectedPEM(expectedLabel: "PRIVATE KEY", found: ["CERTIFICATE"])) {
            try P384PrivateKey(pkcs8PEM: pem)
        }
    }

    @Test func amdSizedRSAKey() throws {
        #expect(try TestKeys.rsaAMDSize().publicKey().algorithm == .rsa(bits: 4096))
    }
}
