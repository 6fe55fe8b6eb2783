import GuestGuardTestSupport
import GuestGuardCrypto
import Testing

@Suite struct AESGCMTests {
    /// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 13, 14 and 16
    /// (the 256-bit-key cases with 96-bit IVs): key, IV, plaintext, AAD, ciphertext, tag.
    static let vectors: [(String, String, String, String, String, String)] = [
        (String(repeating: "0", count: 64), String(repeating: "0", count: 24), "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"),
        (
            String(repeating: "0", count: 64), String(repeating: "0", count: 24), String(repeating: "0", count: 32), "",
            "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"
        ),
        (
            "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
            "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
            "76fc6ece0f4e1768cddf8853bb2d551b"
        ),
    ]

    @Test(arguments: vectors)
    func gcmSpecificationVectors(vector: (String, String, String, String, String, String)) throws {
        let (key, iv, plaintext, aad, ciphertext, tag) = (
            hexBytes(vector.0), hexBytes(vector.1), hexBytes(vector.2), hexBytes(vector.3), hexBytes(vector.4), hexBytes(vector.5)
        )
        let box = try key.withUnsafeBytes { key in
            try plaintext.withUnsafeBytes { try AESGCM.seal($0, using: key, nonce: iv, authenticating: aad) }
        }
        #expect(box == AESGCMSealedBox(ciphertext: ciphertext, tag: tag))
        let opened = try CipherBuffers.output(count: ciphertext.count) { output in
            try key.withUnsafeBytes {
                try AESGCM.open(ciphertext: ciphertext, tag: tag, using: $0, nonce: iv, authenticating: aad, into: output)
            }
        }
        #expect(opened == plaintext)
    }

    enum Tamper: CaseIterable { case tag, ciphertext, aad, nonce, key }

    /// Any change to what the tag covers fails, and the output holds no plaintext afterwards.
    @Test(arguments: Tamper.allCases)
    func tamperingFailsWithoutReleasingPlaintext(tamper: Tamper) throws {
        let vector = Self.vectors[2]
        var (key, iv, aad, ciphertext, tag) = (hexBytes(vector.0), hexBytes(vector.1), hexBytes(vector.3), hexBytes(vector.4), hexBytes(vector.5))
        switch tamper {
        case .tag: tag[15] ^= 0x01
        case .ciphertext: ciphertext[0] ^= 0x80
        case .aad: aad.append(0)
        case .nonce: iv[11] ^= 0x01
        case .key: key[0] ^= 0x01
        }
        let (error, output) = CipherBuffers.failure(count: ciphertext.count) { output in
            try key.withUnsafeBytes {
                try AESGCM.open(ciphertext: ciphertext, tag: tag, using: $0, nonce: iv, authenticating: aad, into: output)
            }
        }
        #expect(error as? CipherError == .authenticationFailed)
        #expect(output == [UInt8](repeating: 0, count: ciphertext.count))
    }

    @Test func rejectsBadSizes() throws {
        let key = [UInt8](repeating: 7, count: 32)
        let ciphertext = [UInt8](repeating: 1, count: 4)
        func open(key: [UInt8] = key, nonce: Int = 12, tag: Int = 16, output: Int = 4) throws {
            _ = try CipherBuffers.output(count: output) { out in
                try key.withUnsafeBytes {
                    try AESGCM.open(
                        ciphertext: ciphertext, tag: [UInt8](repeating: 0, count: tag), using: $0,
                        nonce: [UInt8](repeating: 0, count: nonce), into: out)
                }
            }
        }
        #expect(throws: CipherError.invalidLength(.gcmNonce, expected: 12, actual: 11)) { try open(nonce: 11) }
        #expect(throws: CipherError.invalidLength(.gcmNonce, expected: 12, actual: 16)) { try open(nonce: 16) }
        #expect(throws: CipherError.invalidLength(.gcmTag, expected: 16, actual: 15)) { try open(tag: 15) }
        #expect(throws: CipherError.invalidLength(.gcmTag, expected: 16, actual: 12)) { try open(tag: 12) }
        #expect(throws: CipherError.invalidLength(.aesKey, expected: 32, actual: 16)) { try open(key: Array(key.prefix(16))) }
        #expect(throws: CipherError.invalidLength(.output, expected: 4, actual: 3)) { try open(output: 3) }
    }

    /// Sealed here with a random key and AAD, opened by Python `cryptography`; and the reverse.
    @Test func interoperatesWithPythonCryptography() throws {
        let key = try SecureRandom.bytes(count: 32)
        let nonce = try SecureRandom.bytes(count: 12)
        let aad = Array("eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIn0".utf8)
        let plaintext = try SecureRandom.bytes(count: 1000)
        let box = try key.withUnsafeBytes { key in
            try plaintext.withUnsafeBytes { try AESGCM.seal($0, using: key, nonce: nonce, authenticating: aad) }
        }
        let output = try PythonPeer.run(
            """
            import sys, os
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            key, nonce, aad, sealed = (bytes.fromhex(a) for a in sys.argv[1:5])
            gcm = AESGCM(key)
            nonce2 = os.urandom(12)
            print(gcm.decrypt(nonce, sealed, aad).hex(), nonce2.hex(), gcm.encrypt(nonce2, b"from python", aad).hex())
            """, arguments: [key.hexString, nonce.hexString, aad.hexString, (box.ciphertext + box.tag).hexString])
        let fields = output.split(whereSeparator: \.isWhitespace).map { hexBytes(String($0)) }
        try #require(fields.count == 3)
        #expect(fields[0] == plaintext)
        let sealed = fields[2]
        let opened = try CipherBuffers.output(count: sealed.count - 16) { out in
            try key.withUnsafeBytes {
                try AESGCM.open(
                    ciphertext: Array(sealed.dropLast(16)), tag: Array(sealed.suffix(16)), using: $0, nonce: fields[1],
                    authenticating: aad, into: out)
            }
        }
        #expect(opened == Array("from python".utf8))
    }
}
