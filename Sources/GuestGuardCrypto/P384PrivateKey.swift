import COpenSSL

/// An owned EC P-384 private key: the simulated AMD secure processor's VCEK/VLEK and the key
/// broker's ephemeral keys.
public final class P384PrivateKey: @unchecked Sendable {
    let handle: OpaquePointer

    private init(takingOwnershipOf handle: OpaquePointer) {
        self.handle = handle
    }

    /// Generates a fresh P-384 key.
    /// The corresponding C functions are `EVP_PKEY_CTX_set_group_name` and `EVP_PKEY_generate`.
    public convenience init() throws(KeyError) {
        do {
            self.init(takingOwnershipOf: try EVPKey.generate(algorithm: "EC") { EVP_PKEY_CTX_set_group_name($0, "P-384") })
        } catch {
            throw .openSSL(error)
        }
    }

    /// Imports an unencrypted PKCS #8 PEM; the key must be P-384.
    public convenience init(pkcs8PEM text: String) throws(KeyError) {
        let key = try EVPKey.parsePKCS8PEM(text)
        let algorithm = PublicKeyAlgorithm(of: key)
        guard algorithm.isP384 else {
            EVP_PKEY_free(key)
            throw .wrongKeyType(expected: "EC P-384", actual: algorithm)
        }
        self.init(takingOwnershipOf: key)
    }

    deinit { EVP_PKEY_free(handle) }

    /// Unencrypted PKCS #8 PEM. This is secret material: never log it.
    public func pkcs8PEM() throws(KeyError) -> String {
        do { return try EVPKey.pkcs8PEM(handle) } catch { throw .openSSL(error) }
    }

    /// The public half.
    public func publicKey() throws(KeyError) -> PublicKey {
        try EVPKey.publicHalf(of: handle)
    }

    /// Signs `message` with ECDSA over SHA-384 and returns big-endian r and s. (The simulator signs reports
    /// through nettle, P384ECDSA; this is the tests' OpenSSL peer.)
    /// The corresponding C functions are `EVP_DigestSignInit` and `EVP_DigestSign`.
    public func signSHA384(_ message: some Collection<UInt8>) throws(KeyError) -> ECDSASignature {
        ERR_clear_error()
        guard let context = EVP_MD_CTX_new() else { throw .openSSL(.drainingQueue(operation: "EVP_MD_CTX_new")) }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, HashFunction.sha384.messageDigest, nil, handle) == 1 else {
            throw .openSSL(.drainingQueue(operation: "EVP_DigestSignInit"))
        }
        var signature = [UInt8](repeating: 0, count: 128)
        var length = signature.count
        let sign = { (buffer: UnsafeBufferPointer<UInt8>) in
            EVP_DigestSign(context, &signature, &length, buffer.baseAddress, buffer.count)
        }
        let rc = message.withContiguousStorageIfAvailable(sign) ?? Array(message).withUnsafeBufferPointer(sign)
        guard rc == 1 else { throw .openSSL(.drainingQueue(operation: "EVP_DigestSign")) }
        return try ECDSASignature(derEncoded: Array(signature.prefix(length)))
    }
}
