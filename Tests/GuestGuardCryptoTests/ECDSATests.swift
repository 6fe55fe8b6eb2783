import GuestGuardTestSupport
import Foundation
import GuestGuardCrypto
import Testing

@Suite struct ECDSATests {
    /// go-sev-guest's real Milan report: SHA-384/ECDSA-P384 over bytes 0x000..<0x2A0, with r and s
    /// stored little-endian in 72-byte fields at 0x2A0 and 0x2E8 (snp-abi.md §3).
    struct RealReport {
        let signedBytes: ArraySlice<UInt8>
        let signature: ECDSASignature

        init(_ report: [UInt8]) throws {
            signedBytes = report[0..<0x2A0]
            let r = report[0x2A0..<0x2E8]
            let s = report[0x2E8..<0x330]
            #expect(r.dropFirst(48).allSatisfy { $0 == 0 } && s.dropFirst(48).allSatisfy { $0 == 0 })
            signature = try ECDSASignature(rBigEndian: r.prefix(48).reversed(), sBigEndian: s.prefix(48).reversed())
        }
    }

    @Test func realReportSignatureVerifies() throws {
        let report = try RealReport(Fixture.bytes("go-sev-guest/attestation.bin"))
        let vcek = try X509Certificate(derEncoded: Fixture.bytes("go-sev-guest/vcek.testcer"))
        #expect(try vcek.publicKey().isValidP384SHA384Signature(report.signature, over: report.signedBytes))
    }

    @Test(arguments: [0x000, 0x008, 0x050, 0x090, 0x180, 0x1A0, 0x29F])
    func flippedBitFailsVerification(offset: Int) throws {
        var bytes = try Fixture.bytes("go-sev-guest/attestation.bin")
        bytes[offset] ^= 0x01
        let report = try RealReport(bytes)
        let vcek = try X509Certificate(derEncoded: Fixture.bytes("go-sev-guest/vcek.testcer"))
        #expect(try !vcek.publicKey().isValidP384SHA384Signature(report.signature, over: report.signedBytes))
    }

    @Test func anotherChipsVCEKFailsVerification() throws {
        let report = try RealReport(Fixture.bytes("go-sev-guest/attestation.bin"))
        let other = try X509Certificate(derEncoded: Fixture.bytes("trustee/test-vcek.der"))
        #expect(try !other.publicKey().isValidP384SHA384Signature(report.signature, over: report.signedBytes))
    }

    @Test func rsaKeyCannotVerifyECDSA() throws {
        let report = try RealReport(Fixture.bytes("go-sev-guest/attestation.bin"))
        let ark = try X509Certificate(pemEncoded: Fixture.text("trustee/split_milan_ark.pem")).publicKey()
        #expect(throws: KeyError.wrongKeyType(expected: "EC P-384", actual: .rsa(bits: 4096))) {
            try ark.isValidP384SHA384Signature(report.signature, over: report.signedBytes)
        }
    }

    @Test func signThenVerifyAndDERRoundTrip() throws {
        let key = try P384PrivateKey()
        let message = try SecureRandom.bytes(count: 0x2A0)
        let signature = try key.signSHA384(message)
        #expect(signature.r.count == 48 && signature.s.count == 48)
        #expect(try key.publicKey().isValidP384SHA384Signature(signature, over: message))
        #expect(try ECDSASignature(derEncoded: signature.derEncoded()) == signature)
        var tampered = message
        tampered[0x90] ^= 0x80
        #expect(try !key.publicKey().isValidP384SHA384Signature(signature, over: tampered))
    }

    @Test func componentLengthsAreChecked() {
        #expect(throws: KeyError.invalidSignatureComponentLength(expected: 48, actual: 47)) {
            try ECDSASignature(rBigEndian: [UInt8](repeating: 1, count: 47), sBigEndian: [UInt8](repeating: 1, count: 48))
        }
        #expect(throws: KeyError.invalidSignatureComponentLength(expected: 48, actual: 72)) {
            try ECDSASignature(rBigEndian: [UInt8](repeating: 1, count: 48), sBigEndian: [UInt8](repeating: 1, count: 72))
        }
    }

    /// Our signature verified by Python `cryptography`, and Python's verified by us.
    @Test func interoperatesWithPythonCryptography() throws {
        let key = try P384PrivateKey()
        let message = try SecureRandom.bytes(count: 672)
        let signature = try key.signSHA384(message)
        let keyPath = try PythonPeer.temporaryFile(key.publicKey().subjectPublicKeyInfoDER(), suffix: ".spki")
        let messagePath = try PythonPeer.temporaryFile(message, suffix: ".msg")
        let output = try PythonPeer.run(
            """
            import sys
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import ec
            from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature, decode_dss_signature
            pub = serialization.load_der_public_key(open(sys.argv[1], "rb").read())
            msg = open(sys.argv[2], "rb").read()
            pub.verify(encode_dss_signature(int(sys.argv[3], 16), int(sys.argv[4], 16)), msg, ec.ECDSA(hashes.SHA384()))
            mine = ec.generate_private_key(ec.SECP384R1())
            r, s = decode_dss_signature(mine.sign(msg, ec.ECDSA(hashes.SHA384())))
            spki = mine.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
            print(spki.hex(), r.to_bytes(48, "big").hex(), s.to_bytes(48, "big").hex())
            """,
            arguments: [keyPath, messagePath, signature.r.hexString, signature.s.hexString])
        let fields = output.split(separator: " ").map { hexBytes($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let theirs = try PublicKey(subjectPublicKeyInfoDER: fields[0])
        #expect(theirs.algorithm.isP384)
        #expect(try theirs.isValidP384SHA384Signature(ECDSASignature(rBigEndian: fields[1], sBigEndian: fields[2]), over: message))
    }
}
