import COpenSSL

/// The SHA-2 hash functions guestguard uses: SHA-256 (certificate fingerprints), SHA-384
/// (SNP report and AMD certificate signatures) and SHA-512 (REPORT_DATA bindings).
public enum HashFunction: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case sha256
    case sha384
    case sha512

    /// The digest length in bytes.
    public var digestByteCount: Int {
        switch self {
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// The dotted object identifier (NIST hash algorithms arc 2.16.840.1.101.3.4.2).
    public var objectIdentifier: String {
        switch self {
        case .sha256: KnownOID.sha256
        case .sha384: KnownOID.sha384
        case .sha512: KnownOID.sha512
        }
    }

    public var description: String {
        switch self {
        case .sha256: "SHA-256"
        case .sha384: "SHA-384"
        case .sha512: "SHA-512"
        }
    }

    /// The libcrypto message digest, fetched from the default provider once per process and never
    /// freed (`EVP_sha256()` and its kin are legacy objects that every init fetches again; a
    /// fetched `EVP_MD` is immutable and shared between threads). Falls back to the legacy object
    /// if the fetch fails.
    /// The corresponding C function is `EVP_MD_fetch`.
    var messageDigest: OpaquePointer {
        switch self {
        case .sha256: Self.fetchedSHA256
        case .sha384: Self.fetchedSHA384
        case .sha512: Self.fetchedSHA512
        }
    }

    nonisolated(unsafe) private static let fetchedSHA256: OpaquePointer = EVP_MD_fetch(nil, "SHA2-256", nil) ?? EVP_sha256()
    nonisolated(unsafe) private static let fetchedSHA384: OpaquePointer = EVP_MD_fetch(nil, "SHA2-384", nil) ?? EVP_sha384()
    nonisolated(unsafe) private static let fetchedSHA512: OpaquePointer = EVP_MD_fetch(nil, "SHA2-512", nil) ?? EVP_sha512()

    /// Returns the digest of `bytes`.
    /// The corresponding C function is `EVP_Digest`.
    public func hash(_ bytes: some Collection<UInt8>) throws(OpenSSLError) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: digestByteCount)
        var length: UInt32 = 0
        let md = messageDigest
        let rc =
            bytes.withContiguousStorageIfAvailable { buffer in
                EVP_Digest(buffer.baseAddress, buffer.count, &digest, &length, md, nil)
            }
            ?? Array(bytes).withUnsafeBufferPointer { buffer in
                EVP_Digest(buffer.baseAddress, buffer.count, &digest, &length, md, nil)
            }
        guard rc == 1, Int(length) == digestByteCount else {
            throw OpenSSLError.drainingQueue(operation: "EVP_Digest(\(self))")
        }
        return digest
    }
}

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
