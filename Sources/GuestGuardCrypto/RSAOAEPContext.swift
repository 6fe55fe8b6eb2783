import COpenSSL

/// An `EVP_PKEY_CTX` set up for RSA-OAEP with SHA-256 and MGF1-SHA-256 (the label stays empty),
/// freed in `deinit`.
final class RSAOAEPContext {
    let handle: OpaquePointer

    /// The corresponding C functions are `EVP_PKEY_encrypt_init` / `EVP_PKEY_decrypt_init`,
    /// `EVP_PKEY_CTX_set_rsa_padding`, `EVP_PKEY_CTX_set_rsa_oaep_md` and `EVP_PKEY_CTX_set_rsa_mgf1_md`.
    init(key: OpaquePointer, encrypt: Bool) throws(CipherError) {
        ERR_clear_error()
        guard let handle = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else {
            throw .openSSL(.drainingQueue(operation: "EVP_PKEY_CTX_new_from_pkey"))
        }
        self.handle = handle
        let initialised = encrypt ? EVP_PKEY_encrypt_init(handle) : EVP_PKEY_decrypt_init(handle)
        guard initialised == 1,
            EVP_PKEY_CTX_set_rsa_padding(handle, RSA_PKCS1_OAEP_PADDING) == 1,
            EVP_PKEY_CTX_set_rsa_oaep_md(handle, EVP_sha256()) == 1,
            EVP_PKEY_CTX_set_rsa_mgf1_md(handle, EVP_sha256()) == 1
        else { throw .openSSL(.drainingQueue(operation: "configure RSA-OAEP-256")) }
    }

    deinit { EVP_PKEY_CTX_free(handle) }
}
