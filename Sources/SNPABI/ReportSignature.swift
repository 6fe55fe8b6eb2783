/// The report SIGNATURE (offset 0x2A0): ECDSA P-384 / SHA-384 over bytes 0x000..<0x2A0.
///
/// R (0x2A0, 72 bytes) and S (0x2E8, 72 bytes) are little-endian unsigned integers of which
/// only the low 48 bytes are significant; ``AttestationReport`` requires bytes 48..<72 of each
/// to be zero. Bytes 0x330..<0x4A0 are reserved.
public struct ReportSignature: Sendable, Hashable {
    /// Byte count of R and of S as stored.
    public static let componentByteCount = 72
    /// Significant bytes of a P-384 scalar.
    public static let scalarByteCount = 48

    /// R, 72 bytes little-endian.
    public let r: [UInt8]
    /// S, 72 bytes little-endian.
    public let s: [UInt8]

    public init(r: [UInt8], s: [UInt8]) {
        self.r = r
        self.s = s
    }

    /// R as a 48-byte big-endian scalar (what `ECDSA_SIG_set0` / raw r‖s signatures want).
    public var rBigEndian: [UInt8] { Array(r.prefix(Self.scalarByteCount).reversed()) }
    /// S as a 48-byte big-endian scalar.
    public var sBigEndian: [UInt8] { Array(s.prefix(Self.scalarByteCount).reversed()) }
}
