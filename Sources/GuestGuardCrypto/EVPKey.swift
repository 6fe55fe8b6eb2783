import COpenSSL

/// Shared `EVP_PKEY` plumbing for ``PublicKey``, ``P384PrivateKey`` and ``RSAPrivateKey``.
enum EVPKey {
    /// Generates a key of `algorithm` (`"EC"`, `"RSA"`), letting `configure` set parameters.
    /// The corresponding C functions are `EVP_PKEY_keygen_init` and `EVP_PKEY_generate`.
    static func generate(
        algorithm: String, configure: (OpaquePointer) -> Int32
    ) throws(OpenSSLError) -> OpaquePointer {
        ERR_clear_error()
        guard let context = EVP_PKEY_CTX_new_from_name(nil, algorithm, nil) else {
            throw .drainingQueue(operation: "EVP_PKEY_CTX_new_from_name(\(algorithm))")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw .drainingQueue(operation: "EVP_PKEY_keygen_init") }
        guard configure(context) > 0 else { throw .drainingQueue(operation: "configure \(algorithm) key generation") }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_generate(context, &key) == 1, let key else { throw .drainingQueue(operation: "EVP_PKEY_generate") }
        return key
    }

    /// SubjectPublicKeyInfo DER of `key`'s public half.
    /// The corresponding C function is `i2d_PUBKEY`.
    static func subjectPublicKeyInfo(_ key: OpaquePointer) throws(OpenSSLError) -> [UInt8] {
        try derEncode(operation: "i2d_PUBKEY") { i2d_PUBKEY(key, $0) }
    }

    /// Parses SubjectPublicKeyInfo DER into a new key; trailing bytes are rejected.
    /// The corresponding C function is `d2i_PUBKEY`.
    static func parseSubjectPublicKeyInfo(_ der: [UInt8]) throws(KeyError) -> OpaquePointer {
        ERR_clear_error()
        return try takeWhole(der, operation: "d2i_PUBKEY") { d2i_PUBKEY(nil, $0, $1) }
    }

    /// Unencrypted PKCS #8 PEM (`-----BEGIN PRIVATE KEY-----`).
    /// The corresponding C function is `PEM_write_bio_PKCS8PrivateKey`.
    static func pkcs8PEM(_ key: OpaquePointer) throws(OpenSSLError) -> String {
        let bio = try MemoryBIO()
        guard PEM_write_bio_PKCS8PrivateKey(bio.handle, key, nil, nil, 0, nil, nil) == 1 else {
            throw .drainingQueue(operation: "PEM_write_bio_PKCS8PrivateKey")
        }
        return bio.text()
    }

    /// Parses one unencrypted PKCS #8 `PRIVATE KEY` PEM block.
    /// The corresponding C function is `d2i_AutoPrivateKey`.
    static func parsePKCS8PEM(_ text: String) throws(KeyError) -> OpaquePointer {
        let blocks: [PEMBlock]
        do { blocks = try PEMBlock.blocks(in: text) } catch { throw .openSSL(error) }
        guard blocks.count == 1, blocks[0].label == "PRIVATE KEY" else {
            throw .unexpectedPEM(expectedLabel: "PRIVATE KEY", found: blocks.map(\.label))
        }
        return try takeWhole(blocks[0].derBytes, operation: "d2i_AutoPrivateKey") { d2i_AutoPrivateKey(nil, $0, $1) }
    }

    /// Decodes a whole DER key with `decode`; trailing bytes are rejected.
    private static func takeWhole(
        _ der: [UInt8], operation: String,
        _ decode: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> OpaquePointer?
    ) throws(KeyError) -> OpaquePointer {
        guard let (key, consumed) = derDecode(der, decode) else { throw .openSSL(.drainingQueue(operation: operation)) }
        guard consumed == der.count else {
            EVP_PKEY_free(key)
            throw .trailingData(count: der.count - consumed)
        }
        return key
    }

    /// A new key holding only the public half of `key`.
    static func publicHalf(of key: OpaquePointer) throws(KeyError) -> PublicKey {
        let der: [UInt8]
        do { der = try subjectPublicKeyInfo(key) } catch { throw .openSSL(error) }
        return try PublicKey(subjectPublicKeyInfoDER: der)
    }
}
