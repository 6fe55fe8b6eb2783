/// Base 64 with the standard alphabet and `=` padding (RFC 4648 §4), as used for the KBS
/// challenge nonce (32 random bytes → 44 characters).
///
/// Decoding is strict: padding is required and must be exactly right, no whitespace or other
/// characters, and unused trailing bits must be zero (RFC 4648 §3.5), so every byte string has
/// exactly one accepted encoding.
public enum Base64 {
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        Base64Codec.standard.encode(bytes)
    }

    public static func decode(_ text: String) throws(Base64DecodingError) -> [UInt8] {
        try Base64Codec.standard.decode(text)
    }
}
