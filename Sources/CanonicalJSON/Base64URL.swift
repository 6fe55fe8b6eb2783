/// Base 64 with the URL- and filename-safe alphabet and no padding (RFC 4648 §5, RFC 7515 §2
/// "Base64url Encoding"), as used by JOSE: JWK coordinates and every member of a JWE.
///
/// Decoding is strict: `=` is rejected, as are `+`, `/`, whitespace, a length ≡ 1 (mod 4) and
/// set unused trailing bits, so every byte string has exactly one accepted encoding.
public enum Base64URL {
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        Base64Codec.url.encode(bytes)
    }

    public static func decode(_ text: String) throws(Base64DecodingError) -> [UInt8] {
        try Base64Codec.url.decode(text)
    }
}
