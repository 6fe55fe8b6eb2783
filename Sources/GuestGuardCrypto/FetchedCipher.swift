import COpenSSL

/// The ciphers JWE uses, fetched from the default provider once per process and never freed:
/// `EVP_aes_256_gcm()` and `EVP_aes_256_wrap()` are legacy objects that every `EVP_CipherInit_ex`
/// fetches again (a provider-store lookup per JWE). A fetched `EVP_CIPHER` is immutable and shared
/// between threads. Each falls back to the legacy object if the fetch fails.
/// The corresponding C function is `EVP_CIPHER_fetch`.
enum FetchedCipher {
    /// AES-256-GCM (RFC 7518 §5.3, `A256GCM`).
    nonisolated(unsafe) static let aes256GCM: OpaquePointer = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil) ?? EVP_aes_256_gcm()
    /// AES-256 key wrap (RFC 3394, `A256KW`).
    nonisolated(unsafe) static let aes256Wrap: OpaquePointer = EVP_CIPHER_fetch(nil, "AES-256-WRAP", nil) ?? EVP_aes_256_wrap()
}
