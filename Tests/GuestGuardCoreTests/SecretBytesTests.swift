import GuestGuardPlatform
import Testing

@Suite struct SecretBytesTests {
    @Test func redactedAndComparable() {
        let a = SecretBytes(copying: Array("disk key".utf8))
        #expect("\(a)" == "<secret: 8 bytes>")
        #expect(String(reflecting: a) == "<secret: 8 bytes>")
        #expect(a.isEqual(to: SecretBytes(copying: Array("disk key".utf8))))
        #expect(!a.isEqual(to: SecretBytes(copying: Array("disk kez".utf8))))
        #expect(!a.isEqual(to: SecretBytes(copying: Array("disk".utf8))))
        #expect(a.withUnsafeBytes { Array($0) } == Array("disk key".utf8))
    }

    @Test func filledInPlace() throws {
        let key = SecretBytes.filled(count: 4) { buffer in
            for index in buffer.indices { buffer[index] = UInt8(index + 1) }
        }
        #expect(key.withUnsafeBytes { Array($0) } == [1, 2, 3, 4])
        struct Refused: Error {}
        #expect(throws: Refused.self) { try SecretBytes.filled(count: 4) { _ in throw Refused() } }
    }
}
