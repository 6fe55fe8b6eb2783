/// How long each phase of `VolumeUnlock.unlock` took (monotonic clock). Durations only: nothing
/// about the key. The key fetch includes attestation and broker round trips; callers that want
/// those apart measure inside their key source.
public struct UnlockTimings: Sendable, Hashable {
    /// Header and keyslot areas copied into guest memory and loaded (`crypt_header_backup`, `crypt_load`).
    public var headerCopy: Duration = .zero
    /// Token read, metadata parsed and the header policy applied.
    public var headerCheck: Duration = .zero
    /// The key obtained (broker handshake, or the launch secret).
    public var keyFetch: Duration = .zero
    /// The keyslot opened with the key (PBKDF + digest check) and, with a name, the mapping activated.
    public var keyslotOpen: Duration = .zero

    public init() {}

    /// Milliseconds with three decimals, for `--timings` lines.
    public static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let fraction = String(micros % 1000)
        return "\(micros / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
