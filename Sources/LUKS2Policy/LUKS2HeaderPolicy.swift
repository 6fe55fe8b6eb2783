/// What `LUKS2HeaderValidator` accepts in a LUKS2 header's metadata (the `crypt_dump_json`
/// JSON), before any keyslot is opened. The hypervisor controls the disk, header included: a
/// hostile header could downgrade the data cipher (cipher_null, short keys), bind our token to
/// a keyslot someone else controls, or make the initramfs run out of memory or time in the KDF.
///
/// The defaults fit an initramfs with a few hundred MiB of RAM and a few vCPUs.
public struct LUKS2HeaderPolicy: Sendable, Hashable {
    /// Accepted data-segment ciphers. Default: `aesXTS512`, `aesGCM256AEAD`, `aesXTS512HMACSHA256`.
    public var segmentCiphers: Set<LUKS2SegmentCipher>
    /// Accepted keyslot area ciphers (`keyslots.N.area.encryption`). Default: `aes-xts-plain64`,
    /// what libcryptsetup writes. An allow-list, because the area cipher is what keeps the
    /// volume key secret: with `cipher_null` any passphrase would "open" a slot the attacker filled in.
    public var keyslotAreaEncryptions: Set<String>
    /// Minimum `keyslots.N.area.key_size` in bytes. Default 32 (AES-128-XTS, which libcryptsetup
    /// uses for a 256-bit volume key; 64 for a 512-bit one).
    public var minKeyslotAreaKeySizeBytes: Int64
    /// Accepted keyslot KDF types (`keyslots.N.kdf.type`). Default: pbkdf2, argon2i, argon2id.
    public var keyslotKDFs: Set<String>
    /// Cap on PBKDF2 iterations, for keyslots and for the volume-key digest (`digests.N.iterations`). Default 10 million.
    public var maxPBKDF2Iterations: Int64
    /// Cap on argon2 memory (`kdf.memory`, KiB). Default 1 GiB (1048576 KiB).
    public var maxArgon2MemoryKiB: Int64
    /// Cap on argon2 time cost (`kdf.time`, passes). Default 20.
    public var maxArgon2Time: Int64
    /// Cap on argon2 parallelism (`kdf.cpus`). Default 4.
    public var maxArgon2CPUs: Int64
    /// Cap on anti-forensic stripes (`af.stripes`); libcryptsetup writes 4000. Default 4000.
    public var maxAFStripes: Int64

    public init(segmentCiphers: Set<LUKS2SegmentCipher> = [.aesXTS512, .aesGCM256AEAD, .aesXTS512HMACSHA256],
                keyslotAreaEncryptions: Set<String> = ["aes-xts-plain64"], minKeyslotAreaKeySizeBytes: Int64 = 32,
                keyslotKDFs: Set<String> = ["pbkdf2", "argon2i", "argon2id"],
                maxPBKDF2Iterations: Int64 = 10_000_000, maxArgon2MemoryKiB: Int64 = 1_048_576,
                maxArgon2Time: Int64 = 20, maxArgon2CPUs: Int64 = 4, maxAFStripes: Int64 = 4000)
    {
        self.segmentCiphers = segmentCiphers
        self.keyslotAreaEncryptions = keyslotAreaEncryptions
        self.minKeyslotAreaKeySizeBytes = minKeyslotAreaKeySizeBytes
        self.keyslotKDFs = keyslotKDFs
        self.maxPBKDF2Iterations = maxPBKDF2Iterations
        self.maxArgon2MemoryKiB = maxArgon2MemoryKiB
        self.maxArgon2Time = maxArgon2Time
        self.maxArgon2CPUs = maxArgon2CPUs
        self.maxAFStripes = maxAFStripes
    }

    /// The defaults above.
    public static let `default` = LUKS2HeaderPolicy()
}
