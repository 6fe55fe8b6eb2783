import COpenSSL

extension EVPKey {
    /// Parses one unencrypted PKCS #8 PEM and requires its algorithm to satisfy `accepts`; a key
    /// of another kind is freed and reported as `wrongKeyType(expected:actual:)`.
    static func parsePKCS8PEM(
        _ text: String, expected: String, accepts: (PublicKeyAlgorithm) -> Bool
    ) throws(KeyError) -> OpaquePointer {
        let key = try parsePKCS8PEM(text)
        let algorithm = PublicKeyAlgorithm(of: key)
        guard accepts(algorithm) else {
            EVP_PKEY_free(key)
            throw .wrongKeyType(expected: expected, actual: algorithm)
        }
        return key
    }
}

/// A private key of any algorithm OpenSSL reads from PEM (PKCS #8, PKCS #1 RSA, SEC 1 EC), held
/// to hand to libssl (a TLS server's key). An encrypted key is refused (the passphrase callback
/// supplies none) instead of prompting on the terminal. Freed in `deinit`.
public final class PEMPrivateKey: @unchecked Sendable {
    /// The `EVP_PKEY*`, for libssl in this package; owned by this object.
    package let handle: OpaquePointer

    /// The corresponding C function is `PEM_read_bio_PrivateKey`.
    public init(pemEncoded pem: [UInt8]) throws(KeyError) {
        ERR_clear_error()
        let noPassphrase: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = { _, _, _, _ in 0 }
        // BIO_new_mem_buf reads `pem` in place: no second copy of the key to wipe.
        let key = pem.withUnsafeBytes { buffer -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, noPassphrase, nil)
        }
        guard let key else {
            throw .openSSL(.drainingQueue(operation: "PEM_read_bio_PrivateKey"))
        }
        handle = key
    }

    deinit { EVP_PKEY_free(handle) }
}
