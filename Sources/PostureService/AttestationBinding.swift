import GuestGuardCrypto

/// How `/v1/attestation` ties a report to the tenant's nonce and to the posture document
/// (docs/serve.md, "Binding"):
///
///     digest      = SHA-384(document bytes)              48 bytes
///     REPORT_DATA = SHA-384(nonce ‖ digest) ‖ 0x00 × 16  64 bytes (offset 0x50 of the report)
///
/// `document bytes` are exactly the bytes served (JCS-canonical JSON); `nonce` is the decoded
/// nonce (16–64 bytes), not its base64url text.
public enum AttestationBinding {
    /// Accepted nonce lengths, in bytes after base64url decoding.
    public static let nonceByteCounts = 16...64

    /// SHA-384 of the document bytes.
    public static func documentDigest(_ document: [UInt8]) throws(OpenSSLError) -> [UInt8] {
        try HashFunction.sha384.hash(document)
    }

    /// REPORT_DATA (64 bytes) for a nonce and a document digest.
    public static func reportData(nonce: [UInt8], documentDigest: [UInt8]) throws(OpenSSLError) -> [UInt8] {
        try HashFunction.sha384.hash(nonce + documentDigest) + [UInt8](repeating: 0, count: 16)
    }

    /// REPORT_DATA (64 bytes) for a nonce and the document bytes.
    public static func reportData(nonce: [UInt8], document: [UInt8]) throws(OpenSSLError) -> [UInt8] {
        try reportData(nonce: nonce, documentDigest: try documentDigest(document))
    }
}
