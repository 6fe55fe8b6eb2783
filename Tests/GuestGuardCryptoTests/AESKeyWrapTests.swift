import GuestGuardTestSupport
import GuestGuardCrypto
import Testing

@Suite struct AESKeyWrapTests {
    /// RFC 3394 §4.6: "Wrap 256 bits of Key Data with a 256-bit KEK".
    static let kek = hexBytes("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F")
    static let keyData = hexBytes("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F")
    static let ciphertext = hexBytes("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21")

    @Test func rfc3394Section4_6() throws {
        let wrapped = try Self.kek.withUnsafeBytes { kek in try Self.keyData.withUnsafeBytes { try AESKeyWrap.wrap($0, using: kek) } }
        #expect(wrapped == Self.ciphertext)
        let unwrapped = try CipherBuffers.output(count: 32) { output in
            try Self.kek.withUnsafeBytes { try AESKeyWrap.unwrap(Self.ciphertext, using: $0, into: output) }
        }
        #expect(unwrapped == Self.keyData)
    }

    /// Any flipped bit, in A or in a key block, fails the integrity check and releases nothing.
    @Test(arguments: [0, 7, 8, 20, 39])
    func tamperedWrappedKeyFailsIntegrity(index: Int) throws {
        var tampered = Self.ciphertext
        tampered[index] ^= 0x01
        let (error, output) = CipherBuffers.failure(count: 32) { output in
            try Self.kek.withUnsafeBytes { try AESKeyWrap.unwrap(tampered, using: $0, into: output) }
        }
        #expect(error as? CipherError == .keyUnwrapIntegrityCheckFailed)
        #expect(output == [UInt8](repeating: 0, count: 32))
    }

    @Test func wrongKeyEncryptionKeyFailsIntegrity() throws {
        var kek = Self.kek
        kek[31] ^= 0x80
        #expect(throws: CipherError.keyUnwrapIntegrityCheckFailed) {
            _ = try CipherBuffers.output(count: 32) { output in
                try kek.withUnsafeBytes { try AESKeyWrap.unwrap(Self.ciphertext, using: $0, into: output) }
            }
        }
    }

    @Test func rejectsBadSizes() throws {
        let kek = Self.kek
        #expect(throws: CipherError.invalidKeyWrapLength(.keyToWrap, actual: 8)) {
            try kek.withUnsafeBytes { kek in try [UInt8](repeating: 1, count: 8).withUnsafeBytes { try AESKeyWrap.wrap($0, using: kek) } }
        }
        #expect(throws: CipherError.invalidKeyWrapLength(.keyToWrap, actual: 33)) {
            try kek.withUnsafeBytes { kek in try [UInt8](repeating: 1, count: 33).withUnsafeBytes { try AESKeyWrap.wrap($0, using: kek) } }
        }
        #expect(throws: CipherError.invalidLength(.keyEncryptionKey, expected: 32, actual: 16)) {
            try kek.prefix(16).withUnsafeBytes { kek in try Self.keyData.withUnsafeBytes { try AESKeyWrap.wrap($0, using: kek) } }
        }
        #expect(throws: CipherError.invalidKeyWrapLength(.wrappedKey, actual: 39)) {
            _ = try CipherBuffers.output(count: 31) { output in
                try kek.withUnsafeBytes { try AESKeyWrap.unwrap(Array(Self.ciphertext.prefix(39)), using: $0, into: output) }
            }
        }
        #expect(throws: CipherError.invalidKeyWrapLength(.wrappedKey, actual: 16)) {
            _ = try CipherBuffers.output(count: 8) { output in
                try kek.withUnsafeBytes { try AESKeyWrap.unwrap(Array(Self.ciphertext.prefix(16)), using: $0, into: output) }
            }
        }
        #expect(throws: CipherError.invalidLength(.output, expected: 32, actual: 40)) {
            _ = try CipherBuffers.output(count: 40) { output in
                try kek.withUnsafeBytes { try AESKeyWrap.unwrap(Self.ciphertext, using: $0, into: output) }
            }
        }
    }

    /// Random KEK and key data, wrapped here and unwrapped by Python `cryptography` (and back).
    @Test func interoperatesWithPythonCryptography() throws {
        let kek = try SecureRandom.bytes(count: 32)
        let key = try SecureRandom.bytes(count: 48)
        let wrapped = try kek.withUnsafeBytes { kek in try key.withUnsafeBytes { try AESKeyWrap.wrap($0, using: kek) } }
        let output = try PythonPeer.run(
            """
            import sys
            from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, aes_key_wrap
            kek, wrapped, key = (bytes.fromhex(a) for a in sys.argv[1:4])
            print(aes_key_unwrap(kek, wrapped).hex(), aes_key_wrap(kek, key).hex())
            """, arguments: [kek.hexString, wrapped.hexString, key.hexString])
        let fields = output.split(whereSeparator: \.isWhitespace).map(String.init)
        #expect(fields == [key.hexString, wrapped.hexString])
    }
}
