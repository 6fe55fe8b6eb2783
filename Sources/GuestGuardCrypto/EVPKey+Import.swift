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
