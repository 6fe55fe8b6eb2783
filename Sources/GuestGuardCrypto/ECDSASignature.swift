import COpenSSL

/// An ECDSA P-384 signature as two 48-byte big-endian integers. (SNP reports store r and s
/// little-endian in 72-byte fields; SNPABI converts them.)
public struct ECDSASignature: Sendable, Hashable {
    /// The component size for P-384.
    public static let componentByteCount = 48

    /// r, 48 bytes big-endian.
    public let r: [UInt8]
    /// s, 48 bytes big-endian.
    public let s: [UInt8]

    /// Wraps raw big-endian r and s of exactly 48 bytes each.
    public init(rBigEndian r: [UInt8], sBigEndian s: [UInt8]) throws(KeyError) {
        for component in [r, s] where component.count != Self.componentByteCount {
            throw .invalidSignatureComponentLength(expected: Self.componentByteCount, actual: component.count)
        }
        self.r = r
        self.s = s
    }

    /// Parses a DER `ECDSA-Sig-Value` (SEQUENCE { r INTEGER, s INTEGER }).
    /// The corresponding C functions are `d2i_ECDSA_SIG` and `BN_bn2binpad`.
    public init(derEncoded der: [UInt8]) throws(KeyError) {
        ERR_clear_error()
        guard let (signature, consumed) = derDecode(der, { d2i_ECDSA_SIG(nil, $0, $1) }) else {
            throw .openSSL(.drainingQueue(operation: "d2i_ECDSA_SIG"))
        }
        defer { ECDSA_SIG_free(signature) }
        guard consumed == der.count else { throw .trailingData(count: der.count - consumed) }
        var r = [UInt8](repeating: 0, count: Self.componentByteCount)
        var s = [UInt8](repeating: 0, count: Self.componentByteCount)
        guard BN_bn2binpad(ECDSA_SIG_get0_r(signature), &r, Int32(r.count)) == Int32(r.count),
            BN_bn2binpad(ECDSA_SIG_get0_s(signature), &s, Int32(s.count)) == Int32(s.count)
        else { throw .openSSL(.drainingQueue(operation: "BN_bn2binpad")) }
        self.r = r
        self.s = s
    }

    /// The DER `ECDSA-Sig-Value` encoding OpenSSL verifies.
    /// The corresponding C functions are `ECDSA_SIG_set0` and `i2d_ECDSA_SIG`.
    public func derEncoded() throws(OpenSSLError) -> [UInt8] {
        try PublicKey.ecdsaDER(r: r, s: s)
    }
}
