import GuestGuardTestSupport
import Foundation
import GuestGuardCrypto
import Testing

@Suite struct HashFunctionTests {
    /// FIPS 180-2 appendix examples: the one-block message "abc".
    @Test(arguments: [
        (HashFunction.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (.sha384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
        (.sha512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
    ])
    func knownAnswerABC(hash: HashFunction, expected: String) throws {
        let digest = try hash.hash(Array("abc".utf8))
        #expect(digest.hexString == expected)
        #expect(digest.count == hash.digestByteCount)
    }

    @Test func sliceHashesLikeArray() throws {
        let bytes = try SecureRandom.bytes(count: 1000)
        #expect(try HashFunction.sha384.hash(bytes[100..<900]) == HashFunction.sha384.hash(Array(bytes[100..<900])))
    }

    @Test func matchesPythonHashlib() throws {
        let bytes = try SecureRandom.bytes(count: 4096)
        let path = try PythonPeer.temporaryFile(bytes, suffix: ".bin")
        let output = try PythonPeer.run(
            "import hashlib,sys; d=open(sys.argv[1],'rb').read(); print(' '.join(hashlib.new(n,d).hexdigest() for n in ('sha256','sha384','sha512')))",
            arguments: [path])
        let expected = output.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(try [HashFunction.sha256, .sha384, .sha512].map { try $0.hash(bytes).hexString } == expected)
    }

    @Test func randomBytesHaveRequestedLengthAndDiffer() throws {
        let first = try SecureRandom.bytes(count: 32)
        let second = try SecureRandom.bytes(count: 32)
        #expect(first.count == 32)
        #expect(first != second)
        #expect(try SecureRandom.bytes(count: 0).isEmpty)
    }
}
