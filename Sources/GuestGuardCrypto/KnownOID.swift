/// Dotted object identifiers used by the AMD certificate profile.
public enum KnownOID {
    /// id-RSASSA-PSS (RFC 4055).
    public static let rsassaPSS = "1.2.840.113549.1.1.10"
    /// id-mgf1 (RFC 4055).
    public static let mgf1 = "1.2.840.113549.1.1.8"
    /// sha1: the RSASSA-PSS parameter default (RFC 4055 §3.1).
    public static let sha1 = "1.3.14.3.2.26"
    public static let sha256 = "2.16.840.1.101.3.4.2.1"
    public static let sha384 = "2.16.840.1.101.3.4.2.2"
    public static let sha512 = "2.16.840.1.101.3.4.2.3"
    /// sha384WithRSAEncryption (PKCS #1 v1.5).
    public static let sha384WithRSAEncryption = "1.2.840.113549.1.1.12"
    /// ecdsa-with-SHA384.
    public static let ecdsaWithSHA384 = "1.2.840.10045.4.3.3"
}
