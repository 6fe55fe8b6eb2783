/// A pinned server certificate: the SHA-256 of its DER encoding, or of its SubjectPublicKeyInfo
/// (which survives re-issuance with the same key). Compute one with
/// `openssl x509 -outform DER | openssl dgst -sha256` or
/// `openssl x509 -pubkey -noout | openssl pkey -pubin -outform DER | openssl dgst -sha256`.
public struct TLSLeafPin: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// SHA-256 over the certificate's DER encoding.
        case certificate
        /// SHA-256 over the DER SubjectPublicKeyInfo of the certificate's key.
        case subjectPublicKeyInfo
    }

    public let kind: Kind
    /// The 32-byte digest.
    public let sha256: [UInt8]

    /// Fails unless `sha256` is exactly 32 bytes.
    public init(kind: Kind, sha256: [UInt8]) throws(TLSError) {
        guard sha256.count == 32 else {
            throw .invalidConfiguration(what: "\(kind.rawValue) pin (\(sha256.count) bytes, want 32)", openSSL: .init(entries: []))
        }
        self.kind = kind
        self.sha256 = sha256
    }

    /// Parses 64 hex digits; colons (as `openssl x509 -fingerprint` prints them) are ignored.
    public init(kind: Kind, hex: String) throws(TLSError) {
        let digits = Array(hex.utf8.filter { $0 != UInt8(ascii: ":") })
        var bytes: [UInt8] = []
        var index = 0
        while index + 1 < digits.count {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else {
                throw .invalidConfiguration(what: "\(kind.rawValue) pin (not hex: \(hex))", openSSL: .init(entries: []))
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        guard digits.count % 2 == 0 else {
            throw .invalidConfiguration(what: "\(kind.rawValue) pin (odd number of hex digits)", openSSL: .init(entries: []))
        }
        try self.init(kind: kind, sha256: bytes)
    }

    public var description: String { "\(kind.rawValue) sha256 \(hexString(sha256))" }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Lowercase hex of `bytes`.
func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}
