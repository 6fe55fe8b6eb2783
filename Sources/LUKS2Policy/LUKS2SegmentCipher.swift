/// One accepted combination of data-segment encryption, integrity and volume-key size.
///
/// `encryption` is the segment's `encryption` string exactly as libcryptsetup writes it
/// (`cipher-mode-iv`, e.g. `aes-xts-plain64`); `integrity` is `segments.0.integrity.type`
/// (nil: the segment must have no `integrity` object); `keySizeBytes` is the volume-key size,
/// which LUKS2 records per keyslot as `keyslots.N.key_size` (bytes; it includes the integrity
/// key when the integrity is an HMAC).
public struct LUKS2SegmentCipher: Sendable, Hashable, CustomStringConvertible {
    public var encryption: String
    public var integrity: String?
    public var keySizeBytes: Int64

    public init(encryption: String, integrity: String?, keySizeBytes: Int64) {
        self.encryption = encryption
        self.integrity = integrity
        self.keySizeBytes = keySizeBytes
    }

    /// AES-256-XTS (two 256-bit AES keys: a 512-bit volume key), no integrity. The default LUKS2 cipher.
    public static let aesXTS512 = LUKS2SegmentCipher(encryption: "aes-xts-plain64", integrity: nil, keySizeBytes: 64)
    /// AES-256-GCM with random IVs, authenticated by dm-integrity in AEAD mode (`--cipher aes-gcm-random --integrity aead`).
    public static let aesGCM256AEAD = LUKS2SegmentCipher(encryption: "aes-gcm-random", integrity: "aead", keySizeBytes: 32)
    /// AES-256-XTS with random IVs plus HMAC-SHA256 (`--cipher aes-xts-random --integrity hmac-sha256`):
    /// 64 bytes of XTS key followed by 32 bytes of HMAC key.
    public static let aesXTS512HMACSHA256 = LUKS2SegmentCipher(encryption: "aes-xts-random", integrity: "hmac(sha256)", keySizeBytes: 96)

    public var description: String {
        "\(encryption)" + (integrity.map { " + integrity \($0)" } ?? "") + " with a \(keySizeBytes * 8)-bit key"
    }
}
