import COpenSSL

/// SHA-256 digests of one certificate, as leaf pins compare them.
struct X509Digests: Hashable {
    /// SHA-256 of the certificate's DER encoding.
    let certificateSHA256: [UInt8]
    /// SHA-256 of the DER SubjectPublicKeyInfo.
    let publicKeySHA256: [UInt8]

    /// Nil if the certificate cannot be re-encoded. The corresponding C functions are
    /// `i2d_X509`, `i2d_X509_PUBKEY` and `EVP_Digest`.
    init?(_ certificate: OpaquePointer) {
        guard let der = Self.encode({ i2d_X509(certificate, $0) }),
            let spki = Self.encode({ i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate), $0) }),
            let certificateDigest = Self.sha256(der), let publicKeyDigest = Self.sha256(spki)
        else { return nil }
        certificateSHA256 = certificateDigest
        publicKeySHA256 = publicKeyDigest
    }

    /// Runs an `i2d_*` function twice: once for the length, once into a buffer of that length.
    private static func encode(_ i2d: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) -> [UInt8]? {
        let length = i2d(nil)
        guard length > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d(&cursor)
        }
        return written == length ? bytes : nil
    }

    private static func sha256(_ bytes: [UInt8]) -> [UInt8]? {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha256(), nil)
        }
        return ok == 1 && length == 32 ? Array(digest[..<32]) : nil
    }
}
