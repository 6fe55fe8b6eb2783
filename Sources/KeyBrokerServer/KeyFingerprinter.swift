import GuestGuardCrypto
import GuestGuardPlatform
import SNPABI

/// The `key-id` of a released key: `hmac-sha256:` and the first 8 bytes (hex) of
/// HMAC-SHA256(broker secret, key).
///
/// Never a plain hash: an unkeyed digest of an imported low-entropy passphrase would let anyone
/// who reads an audit line or a PCR 15 document test guesses offline, without the LUKS KDF. The
/// secret is 32 random bytes in `DATA/key-id.secret` (mode 0600), made on first use; replicas
/// sharing the data directory share it, so their `key-id`s agree. The guest cannot compute the
/// value: the broker sends it as the JWE protected header's `kid` (covered by the GCM AAD) and the
/// guest records what it received.
public struct KeyFingerprinter: Sendable {
    public static let prefix = "hmac-sha256:"
    public static let secretFileName = "key-id.secret"
    public static let secretByteCount = 32

    let secret: SecretBytes

    public init(secret: SecretBytes) {
        precondition(secret.count >= 16, "a key-id secret needs at least 128 bits")
        self.secret = secret
    }

    /// Reads `DATA/key-id.secret`, or creates it (mode 0600, written atomically) when absent.
    public static func loadOrCreate(store: BrokerStore, random: any RandomSource) throws(BrokerStoreError) -> KeyFingerprinter {
        KeyFingerprinter(secret: try loadOrCreateSecret(store: store, random: random))
    }

    /// The secret bytes of `DATA/key-id.secret`, made when absent.
    public static func loadOrCreateSecret(store: BrokerStore, random: any RandomSource) throws(BrokerStoreError) -> SecretBytes {
        let path = store.root + "/" + secretFileName
        var bytes: [UInt8]
        do throws(PlatformError) {
            if !store.files.exists(path) {
                try store.files.createDirectory(store.root, mode: 0o700)
                var fresh = try random.bytes(secretByteCount)
                defer { for index in fresh.indices { fresh[index] = 0 } }
                try store.files.writeFile(path, bytes: fresh, mode: 0o600)
            }
            // Read back what is on disk, so replicas racing at first start converge on one file.
            bytes = try store.files.readFile(path, limit: 4096)
        } catch {
            throw .file(error)
        }
        defer { for index in bytes.indices { bytes[index] = 0 } }
        guard bytes.count >= 16 else { throw .invalidSecret(path, "holds \(bytes.count) bytes, at least 16 needed") }
        return SecretBytes(copying: bytes)
    }

    /// The `key-id` of `key`.
    public func keyID(_ key: SecretBytes) throws(OpenSSLError) -> String {
        let mac = try secret.withUnsafeBytes { (secret) throws(OpenSSLError) in
            try key.withUnsafeBytes { (key) throws(OpenSSLError) in try HashFunction.sha256.hmac(key: secret, key) }
        }
        return Self.prefix + Hex.encode(mac.prefix(8))
    }
}
