import GuestGuardTestSupport
import Foundation
import GuestGuardCrypto
import Testing

@Suite struct ConcatKDFTests {
    /// RFC 7518 Appendix C: Z from the example P-256 keys, AlgorithmID "A128GCM", apu "Alice",
    /// apv "Bob", keydatalen 128 → "VqqN6vgjbSBcIijNcacQGg".
    static let appendixCZ = hexBytes("9e56d91d817135d372834283bf84269cfb316ea3da806a48f6daa7798cfe90c4")
    static let appendixCKey = hexBytes("56aa8deaf8236d205c2228cd71a7101a")

    @Test func rfc7518AppendixC() throws {
        let key = try CipherBuffers.output(count: 16) { output in
            try Self.appendixCZ.withUnsafeBytes {
                try ConcatKDF.deriveKey(
                    sharedSecret: $0, algorithmID: Array("A128GCM".utf8), partyUInfo: Array("Alice".utf8),
                    partyVInfo: Array("Bob".utf8), into: output)
            }
        }
        #expect(key == Self.appendixCKey)
    }

    /// The ECDH-ES+A256KW profile (one round, keydatalen 256, empty apu/apv) and a three-round
    /// derivation, against Python `cryptography`'s ConcatKDFHash on a random Z.
    @Test(arguments: [32, 80])
    func matchesPythonConcatKDFHash(length: Int) throws {
        let z = try SecureRandom.bytes(count: 32)
        let key = try CipherBuffers.output(count: length) { output in
            try z.withUnsafeBytes { try ConcatKDF.deriveKey(sharedSecret: $0, algorithmID: Array("ECDH-ES+A256KW".utf8), into: output) }
        }
        let expected = try PythonPeer.run(
            """
            import sys
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash
            z, n = bytes.fromhex(sys.argv[1]), int(sys.argv[2])
            alg = b"ECDH-ES+A256KW"
            other = len(alg).to_bytes(4, "big") + alg + bytes(8) + (8 * n).to_bytes(4, "big")
            print(ConcatKDFHash(hashes.SHA256(), n, other).derive(z).hex())
            """, arguments: [z.hexString, String(length)])
        #expect(key.hexString == expected.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func rejectsEmptyOutput() {
        #expect(throws: CipherError.invalidLength(.derivedKey, expected: 32, actual: 0)) {
            _ = try CipherBuffers.output(count: 0) { output in
                try Self.appendixCZ.withUnsafeBytes { try ConcatKDF.deriveKey(sharedSecret: $0, algorithmID: [], into: output) }
            }
        }
    }
}
