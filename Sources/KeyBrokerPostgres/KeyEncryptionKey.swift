import GuestGuardCrypto
import GuestGuardPlatform
import KeyBrokerServer

/// The key-encryption key (KEK) that seals every resource key and the `key-id` secret in the
/// PostgreSQL store (AES-256-GCM), so a dump of the database alone releases nothing. It lives in
/// a file of exactly 32 bytes that only its owner may read (mode 0600 or 0400); anything else is
/// refused at start. Back it up apart from the database (docs: README, "PostgreSQL store").
public struct KeyEncryptionKey: Sendable {
    let key: SecretBytes

    public init(key: SecretBytes) throws(BrokerStoreError) {
        guard key.count == AESGCM.keyByteCount else {
            throw .corrupt("a key-encryption key is \(AESGCM.keyByteCount) bytes, got \(key.count)")
        }
        self.key = key
    }

    /// Reads `path`: a regular file, no permission bits for group or others, exactly 32 bytes.
    public static func load(_ path: String, files: any FileSystem) throws(BrokerStoreError) -> KeyEncryptionKey {
        let status: FileStatus?
        do { status = try files.status(path) } catch { throw .file(error) }
        guard let status else { throw .corrupt("key-encryption key \(path): no such file") }
        guard status.kind == .regular else { throw .corrupt("key-encryption key \(path): not a regular file") }
        guard status.permissions & 0o077 == 0 else {
            throw .corrupt("key-encryption key \(path): mode \(String(status.permissions, radix: 8)) lets others read it (chmod 0600)")
        }
        guard status.size == Int64(AESGCM.keyByteCount) else {
            throw .corrupt("key-encryption key \(path): holds \(status.size) bytes, exactly \(AESGCM.keyByteCount) needed")
        }
        var bytes: [UInt8]
        do { bytes = try files.readFile(path, limit: AESGCM.keyByteCount) } catch { throw .file(error) }
        defer { for index in bytes.indices { bytes[index] = 0 } }
        return try KeyEncryptionKey(key: SecretBytes(copying: bytes))
    }

    /// nonce (12) ‖ ciphertext ‖ tag (16); `context` is authenticated (it names what is sealed,
    /// so a sealed key cannot be moved to another resource's row).
    func seal(_ plaintext: SecretBytes, context: String, random: any RandomSource) throws(BrokerStoreError) -> [UInt8] {
        do {
            let nonce = try random.bytes(AESGCM.nonceByteCount)
            let box = try plaintext.withUnsafeBytes { (plain) throws(CipherError) in
                try key.withUnsafeBytes { (kek) throws(CipherError) in
                    try AESGCM.seal(plain, using: kek, nonce: nonce, authenticating: Array(context.utf8))
                }
            }
            return nonce + box.ciphertext + box.tag
        } catch {
            throw .corrupt("cannot seal \(context): \(error)")
        }
    }

    func open(_ sealed: [UInt8], context: String) throws(BrokerStoreError) -> SecretBytes {
        let overhead = AESGCM.nonceByteCount + AESGCM.tagByteCount
        guard sealed.count > overhead else { throw .corrupt("\(context): sealed value too short") }
        let nonce = Array(sealed.prefix(AESGCM.nonceByteCount))
        let ciphertext = Array(sealed[AESGCM.nonceByteCount..<(sealed.count - AESGCM.tagByteCount)])
        let tag = Array(sealed.suffix(AESGCM.tagByteCount))
        let output = SecretBytes(zeroedCount: ciphertext.count)
        do {
            try output.withUnsafeMutableBytes { (out) throws(CipherError) in
                try key.withUnsafeBytes { (kek) throws(CipherError) in
                    try AESGCM.open(ciphertext: ciphertext, tag: tag, using: kek, nonce: nonce, authenticating: Array(context.utf8), into: out)
                }
            }
        } catch {
            throw .corrupt("\(context) does not open under this key-encryption key (wrong KEK, or the row was altered)")
        }
        return output
    }
}
