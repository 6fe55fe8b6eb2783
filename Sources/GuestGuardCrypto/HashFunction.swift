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

    /// The libcrypto message digest (a static object; never freed).
    var messageDigest: OpaquePointer {
        switch self {
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
    }

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
