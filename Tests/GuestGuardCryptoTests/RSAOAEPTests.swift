import GuestGuardTestSupport
import Foundation
import GuestGuardCrypto
import Testing

@Suite struct RSAOAEPTests {
    static func decrypt(_ key: RSAPrivateKey, _ ciphertext: [UInt8], capacity: Int = 64) throws -> [UInt8] {
        var length = 0
        let output = try CipherBuffers.output(count: capacity) { length = try key.decryptRSAOAEPSHA256(ciphertext, into: $0) }
        return Array(output.prefix(length))
    }

    static func encrypt(_ key: PublicKey, _ plaintext: [UInt8]) throws -> [UInt8] {
        try plaintext.withUnsafeBytes { try key.encryptRSAOAEPSHA256($0) }
    }

    /// Key generation, (n, e) export and import, and an OAEP round trip at each supported size.
    @Test(arguments: [2048, 3072, 4096])
    func generateExportImportRoundTrip(bits: Int) throws {
        let key = bits == 2048 ? try TestKeys.rsaSmall() : bits == 4096 ? try TestKeys.rsaAMDSize() : try RSAPrivateKey(bits: bits)
        let publicKey = try key.publicKey()
        let (modulus, exponent) = try publicKey.rsaComponents()
        #expect(modulus.count == bits / 8 && modulus[0] & 0x80 != 0)
        #expect(exponent == [0x01, 0x00, 0x01])
        let imported = try PublicKey(rsaModulus: modulus, exponent: exponent)
        #expect(try imported.subjectPublicKeyInfoDER() == publicKey.subjectPublicKeyInfoDER())
        let cek = try SecureRandom.bytes(count: 32)
        let ciphertext = try Self.encrypt(imported, cek)
        #expect(ciphertext.count == bits / 8)
        #expect(try Self.decrypt(key, ciphertext) == cek)
        #expect(try Self.encrypt(imported, cek) != ciphertext, "OAEP is randomised")
    }

    @Test func wrongKeyOrCorruptCiphertextFails() throws {
        let key = try TestKeys.rsaSmall()
        let ciphertext = try Self.encrypt(key.publicKey(), [UInt8](repeating: 9, count: 32))
        let other = try RSAPrivateKey(bits: 2048)
        #expect(throws: CipherError.rsaDecryptionFailed) { try Self.decrypt(other, ciphertext) }
        var corrupt = ciphertext
        corrupt[100] ^= 0x04
        #expect(throws: CipherError.rsaDecryptionFailed) { try Self.decrypt(key, corrupt) }
        #expect(throws: CipherError.invalidLength(.rsaCiphertext, expected: 256, actual: 255)) {
            try Self.decrypt(key, Array(ciphertext.dropLast()))
        }
        #expect(throws: CipherError.inputTooLarge(.output, limit: 16, actual: 32)) { try Self.decrypt(key, ciphertext, capacity: 16) }
        #expect(throws: CipherError.inputTooLarge(.plaintext, limit: 190, actual: 191)) {
            try Self.encrypt(key.publicKey(), [UInt8](repeating: 0, count: 191))
        }
    }

    @Test func rejectsUnsupportedPublicKeys() throws {
        let (modulus, exponent) = try TestKeys.rsaSmall().publicKey().rsaComponents()
        #expect(throws: CipherError.unsupportedRSAModulusSize(bits: 1024)) { try PublicKey(rsaModulus: Array(modulus.prefix(128)), exponent: exponent) }
        #expect(throws: CipherError.unsupportedRSAModulusSize(bits: 2047)) {
            try PublicKey(rsaModulus: [modulus[0] >> 1] + modulus.dropFirst(), exponent: exponent)
        }
        let rejected: [(modulus: [UInt8], exponent: [UInt8])] = [
            ([0] + modulus, exponent),  // leading zero byte
            (modulus.dropLast() + [modulus.last! & 0xFE], exponent),  // even modulus
            (modulus, []), (modulus, [0x01]), (modulus, [0x03]), (modulus, [0x01, 0x00, 0x00]),  // e ≤ 2^16 or even
            (modulus, [0x00, 0x01, 0x00, 0x01]),  // non-minimal e
        ]
        for (n, e) in rejected {
            #expect {
                try PublicKey(rsaModulus: n, exponent: e)
            } throws: { error in
                guard case .invalidRSAPublicKey = error as? CipherError else { return false }
                return true
            }
        }
        let p256 = try P256PrivateKey().publicKey()
        #expect(throws: CipherError.wrongKeyType(expected: "RSA", actual: p256.algorithm)) { try p256.rsaComponents() }
    }

    /// Python `cryptography` decrypts our ciphertext, and its OAEP-SHA-256 ciphertext decrypts here;
    /// its ciphertexts under another label or another hash do not.
    @Test func interoperatesWithPythonCryptography() throws {
        let key = try TestKeys.rsaSmall()
        let pemPath = try PythonPeer.temporaryFile(Array(try key.pkcs8PEM().utf8), suffix: ".pem")
        defer { try? FileManager.default.removeItem(atPath: pemPath) }
        let cek = try SecureRandom.bytes(count: 32)
        let ours = try Self.encrypt(key.publicKey(), cek)
        let output = try PythonPeer.run(
            """
            import sys
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import padding
            key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
            def oaep(h, label=None): return padding.OAEP(mgf=padding.MGF1(algorithm=h), algorithm=h, label=label)
            msg = b"from python, 32 bytes of CEK ..!"
            pub = key.public_key()
            print(key.decrypt(bytes.fromhex(sys.argv[2]), oaep(hashes.SHA256())).hex(),
                  pub.encrypt(msg, oaep(hashes.SHA256())).hex(),
                  pub.encrypt(msg, oaep(hashes.SHA256(), b"label")).hex(),
                  pub.encrypt(msg, oaep(hashes.SHA1())).hex())
            """, arguments: [pemPath, ours.hexString])
        let fields = output.split(whereSeparator: \.isWhitespace).map { hexBytes(String($0)) }
        try #require(fields.count == 4)
        #expect(fields[0] == cek)
        #expect(try Self.decrypt(key, fields[1]) == Array("from python, 32 bytes of CEK ..!".utf8))
        #expect(throws: CipherError.rsaDecryptionFailed) { try Self.decrypt(key, fields[2]) }
        #expect(throws: CipherError.rsaDecryptionFailed) { try Self.decrypt(key, fields[3]) }
    }
}
