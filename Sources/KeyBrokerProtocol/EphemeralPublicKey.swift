import CanonicalJSON

/// The guest's ephemeral public key as a JWK: `runtime-data.tee-pubkey`, bound in REPORT_DATA
/// and used by the KBS to wrap resources (kbs-types `TeePubKey`, `#[serde(tag = "kty")]`,
/// KT `src/lib.rs:88-107`).
///
/// Members are kept as the strings received, because the KBS hashes exactly those strings.
/// Decoding accepts any strings (as kbs-types does); `validate()` applies the key checks.
/// Members other than `kty` and the variant's own are ignored, as serde ignores them — and so
/// they are not part of the REPORT_DATA preimage either (spec §2.3 item 3, vector rd-3).
public enum EphemeralPublicKey: Codable, Hashable, Sendable {
    /// `{"kty":"EC","crv":…,"alg":…,"x":…,"y":…}`; `x`/`y` base64url without padding.
    case ec(crv: String, alg: String, x: String, y: String)
    /// `{"kty":"RSA","alg":…,"n":…,"e":…}`; `n`/`e` base64url big-endian without padding.
    case rsa(alg: String, n: String, e: String)

    /// JWE key management algorithm names (RFC 7518 §4.1).
    public static let ecdhESA256KW = "ECDH-ES+A256KW"
    public static let rsaOAEP256 = "RSA-OAEP-256"

    /// An ECDH-ES+A256KW P-256 key from its affine coordinates (32 bytes each, big-endian).
    public static func p256(x: [UInt8], y: [UInt8]) -> Self {
        precondition(x.count == 32 && y.count == 32, "P-256 coordinates are 32 bytes")
        return .ec(crv: "P-256", alg: ecdhESA256KW, x: Base64URL.encode(x), y: Base64URL.encode(y))
    }

    /// An RSA-OAEP-256 key from its modulus and public exponent (big-endian, no leading zeros).
    public static func rsaOAEP256(modulus: [UInt8], exponent: [UInt8]) -> Self {
        .rsa(alg: rsaOAEP256, n: Base64URL.encode(modulus), e: Base64URL.encode(exponent))
    }

    enum CodingKeys: String, CodingKey {
        case kty, crv, alg, x, y, n, e
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kty = try container.decode(String.self, forKey: .kty)
        if kty.utf8.elementsEqual("EC".utf8) {
            self = .ec(
                crv: try container.decode(String.self, forKey: .crv), alg: try container.decode(String.self, forKey: .alg),
                x: try container.decode(String.self, forKey: .x), y: try container.decode(String.self, forKey: .y))
        } else if kty.utf8.elementsEqual("RSA".utf8) {
            self = .rsa(
                alg: try container.decode(String.self, forKey: .alg), n: try container.decode(String.self, forKey: .n),
                e: try container.decode(String.self, forKey: .e))
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: .kty, in: container, debugDescription: "unsupported JWK key type \"\(kty)\" (expected EC or RSA)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .ec(let crv, let alg, let x, let y):
            try container.encode("EC", forKey: .kty)
            try container.encode(crv, forKey: .crv)
            try container.encode(alg, forKey: .alg)
            try container.encode(x, forKey: .x)
            try container.encode(y, forKey: .y)
        case .rsa(let alg, let n, let e):
            try container.encode("RSA", forKey: .kty)
            try container.encode(alg, forKey: .alg)
            try container.encode(n, forKey: .n)
            try container.encode(e, forKey: .e)
        }
    }

    /// The JWK exactly as the KBS re-serializes its typed `TeePubKey`: `kty` plus the variant's
    /// members, nothing else. This is the `tee-pubkey` of the REPORT_DATA preimage.
    public var jwk: JSONValue {
        switch self {
        case .ec(let crv, let alg, let x, let y):
            return ["kty": "EC", "crv": .string(crv), "alg": .string(alg), "x": .string(x), "y": .string(y)]
        case .rsa(let alg, let n, let e):
            return ["kty": "RSA", "alg": .string(alg), "n": .string(n), "e": .string(e)]
        }
    }
}
