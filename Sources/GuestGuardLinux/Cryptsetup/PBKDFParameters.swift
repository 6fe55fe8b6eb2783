/// Keyslot key-derivation settings (`struct crypt_pbkdf_type`, libcryptsetup.h:264).
public struct PBKDFParameters: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case pbkdf2, argon2i, argon2id
    }

    public var kind: Kind
    public var hash: String
    /// PBKDF2 iterations, or argon2 time cost.
    public var iterations: UInt32
    /// Argon2 memory cost in KiB (0 for PBKDF2).
    public var maxMemoryKB: UInt32
    public var parallelThreads: UInt32
    /// Use these values as given: no benchmark (`CRYPT_PBKDF_NO_BENCHMARK`).
    public var noBenchmark: Bool

    public init(kind: Kind, hash: String = "sha256", iterations: UInt32, maxMemoryKB: UInt32 = 0, parallelThreads: UInt32 = 0, noBenchmark: Bool = true) {
        self.kind = kind
        self.hash = hash
        self.iterations = iterations
        self.maxMemoryKB = maxMemoryKB
        self.parallelThreads = parallelThreads
        self.noBenchmark = noBenchmark
    }

    /// PBKDF2-SHA256 with 1000 iterations and no benchmark: right for a high-entropy machine key
    /// (as systemd-cryptenroll and clevis do), and for the volume-key digest in tests.
    public static let machineKey = PBKDFParameters(kind: .pbkdf2, hash: "sha256", iterations: 1000)
}
