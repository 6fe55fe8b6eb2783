/// The output of AES-GCM sealing: ciphertext (as long as the plaintext) and the 16-byte tag.
public struct AESGCMSealedBox: Sendable, Hashable {
    public let ciphertext: [UInt8]
    public let tag: [UInt8]

    public init(ciphertext: [UInt8], tag: [UInt8]) {
        self.ciphertext = ciphertext
        self.tag = tag
    }
}
