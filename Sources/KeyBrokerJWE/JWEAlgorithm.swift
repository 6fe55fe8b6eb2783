/// The JWE algorithm pairs a KBS 0.4.0 resource response uses (spec §3.2, RFC 7518): key
/// management `ECDH-ES+A256KW` (P-256) or `RSA-OAEP-256`, content encryption `A256GCM`.
public enum JWEAlgorithm: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// ECDH-ES with a fresh P-256 key, Concat KDF (SHA-256), AES-256 key wrap (RFC 7518 §4.6).
    case ecdhESA256KW = "ECDH-ES+A256KW"
    /// RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 7518 §4.3).
    case rsaOAEP256 = "RSA-OAEP-256"

    /// The only content encryption algorithm: AES-256-GCM (RFC 7518 §5.3).
    public static let contentEncryption = "A256GCM"
    /// The content encryption key size for `A256GCM`.
    static let contentEncryptionKeyByteCount = 32

    /// The `alg` header value.
    public var headerValue: String { rawValue }

    public var description: String { rawValue }

    /// The algorithm whose header value is exactly `value`, byte for byte (no Unicode
    /// equivalence: `ECDH-ES+A256\u{212A}W` is not `ECDH-ES+A256KW`).
    init?(headerValue value: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue.utf8.elementsEqual(value.utf8) }) else { return nil }
        self = match
    }

    /// Whether `value` is exactly `A256GCM`, byte for byte.
    static func isContentEncryption(_ value: String) -> Bool {
        contentEncryption.utf8.elementsEqual(value.utf8)
    }
}
