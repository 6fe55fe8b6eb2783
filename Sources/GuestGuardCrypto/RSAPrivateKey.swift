import COpenSSL

/// An owned RSA private key: the simulated AMD ARK/ASK/ASVK.
public final class RSAPrivateKey: @unchecked Sendable {
    let handle: OpaquePointer

    private init(takingOwnershipOf handle: OpaquePointer) {
        self.handle = handle
    }

    /// Generates a fresh RSA key (AMD uses 4096 bits; generation takes about a second).
    /// The corresponding C functions are `EVP_PKEY_CTX_set_rsa_keygen_bits` and `EVP_PKEY_generate`.
    public convenience init(bits: Int = 4096) throws(KeyError) {
        do {
            self.init(takingOwnershipOf: try EVPKey.generate(algorithm: "RSA") { EVP_PKEY_CTX_set_rsa_keygen_bits($0, Int32(bits)) })
        } catch {
            throw .openSSL(error)
        }
    }

    /// Imports an unencrypted PKCS #8 PEM; the key must be RSA.
    public convenience init(pkcs8PEM text: String) throws(KeyError) {
        let key = try EVPKey.parsePKCS8PEM(text)
        let algorithm = PublicKeyAlgorithm(of: key)
        guard case .rsa = algorithm else {
            EVP_PKEY_free(key)
            throw .wrongKeyType(expected: "RSA", actual: algorithm)
        }
        self.init(takingOwnershipOf: key)
    }

    deinit { EVP_PKEY_free(handle) }

    /// The modulus size in bits.
    /// The corresponding C function is `EVP_PKEY_get_bits`.
    public var bits: Int { Int(EVP_PKEY_get_bits(handle)) }

    /// Unencrypted PKCS #8 PEM. This is secret material: never log it.
    public func pkcs8PEM() throws(KeyError) -> String {
        do { return try EVPKey.pkcs8PEM(handle) } catch { throw .openSSL(error) }
    }

    /// The public half.
    public func publicKey() throws(KeyError) -> PublicKey {
        try EVPKey.publicHalf(of: handle)
    }
}
