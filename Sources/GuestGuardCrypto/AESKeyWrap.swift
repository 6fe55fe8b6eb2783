import COpenSSL

/// AES-256 key wrap (RFC 3394) with the default initial value `A6A6A6A6A6A6A6A6`: JWE
/// `A256KW` and the wrap step of `ECDH-ES+A256KW` (RFC 7518 §4.4, §4.6).
public enum AESKeyWrap {
    /// The key-encryption key size (AES-256).
    public static let keyEncryptionKeyByteCount = 32
    /// What wrapping adds: the 64-bit integrity check register A (RFC 3394 §2.2.1).
    public static let overheadByteCount = 8

    /// Wraps `keyToWrap` (a multiple of 8 bytes, at least 16) under `kek`; the result is 8 bytes
    /// longer. The output is not secret.
    /// The corresponding C functions are `EVP_CipherInit_ex` and `EVP_CipherUpdate` with
    /// `EVP_aes_256_wrap` (and `EVP_CIPHER_CTX_FLAG_WRAP_ALLOW`).
    public static func wrap(
        _ keyToWrap: UnsafeRawBufferPointer, using kek: UnsafeRawBufferPointer
    ) throws(CipherError) -> [UInt8] {
        try checkKeyEncryptionKey(kek)
        guard keyToWrap.count >= 16, keyToWrap.count % 8 == 0 else {
            throw .invalidKeyWrapLength(.keyToWrap, actual: keyToWrap.count)
        }
        guard keyToWrap.count <= maximumCipherInputByteCount else {
            throw .inputTooLarge(.keyToWrap, limit: maximumCipherInputByteCount, actual: keyToWrap.count)
        }
        var wrapped = [UInt8](repeating: 0, count: keyToWrap.count + 2 * overheadByteCount)
        let written = try wrapped.withMutableBytes { (output) throws(CipherError) -> Int in
            try run(encrypt: true, kek: kek, input: keyToWrap, output: output)
        }
        guard written == keyToWrap.count + overheadByteCount else {
            throw .invalidLength(.output, expected: keyToWrap.count + overheadByteCount, actual: written)
        }
        return Array(wrapped.prefix(written))
    }

    /// Unwraps `wrappedKey` (a multiple of 8 bytes, at least 24) under `kek` into `output`, which
    /// must be exactly 8 bytes shorter. If the integrity check fails, `output` is left zeroed and
    /// `keyUnwrapIntegrityCheckFailed` is thrown.
    /// The corresponding C functions are `EVP_CipherInit_ex` and `EVP_CipherUpdate` with
    /// `EVP_aes_256_wrap`.
    public static func unwrap(
        _ wrappedKey: [UInt8], using kek: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(CipherError) {
        try checkKeyEncryptionKey(kek)
        guard wrappedKey.count >= 24, wrappedKey.count % 8 == 0 else {
            throw .invalidKeyWrapLength(.wrappedKey, actual: wrappedKey.count)
        }
        guard wrappedKey.count <= maximumCipherInputByteCount else {
            throw .inputTooLarge(.wrappedKey, limit: maximumCipherInputByteCount, actual: wrappedKey.count)
        }
        let keyCount = wrappedKey.count - overheadByteCount
        guard output.count == keyCount else { throw .invalidLength(.output, expected: keyCount, actual: output.count) }
        // libcrypto assumes room for a block beyond the input; unwrap into scratch, then copy.
        do throws(CipherError) {
            try withSecretScratch(count: wrappedKey.count + overheadByteCount) { (scratch) throws(CipherError) in
                let written = try wrappedKey.withBytes { (input) throws(CipherError) -> Int in
                    try run(encrypt: false, kek: kek, input: input, output: scratch)
                }
                guard written == keyCount else { throw .invalidLength(.output, expected: keyCount, actual: written) }
                output.copyMemory(from: UnsafeRawBufferPointer(rebasing: scratch[0..<keyCount]))
            }
        } catch {
            cleanse(output)
            throw error
        }
    }

    private static func checkKeyEncryptionKey(_ kek: UnsafeRawBufferPointer) throws(CipherError) {
        guard kek.count == keyEncryptionKeyByteCount else {
            throw .invalidLength(.keyEncryptionKey, expected: keyEncryptionKeyByteCount, actual: kek.count)
        }
    }

    /// One wrap or unwrap pass; returns the bytes written.
    private static func run(
        encrypt: Bool, kek: UnsafeRawBufferPointer, input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer
    ) throws(CipherError) -> Int {
        ERR_clear_error()
        guard let context = EVP_CIPHER_CTX_new() else { throw .openSSL(.drainingQueue(operation: "EVP_CIPHER_CTX_new")) }
        defer { EVP_CIPHER_CTX_free(context) }
        EVP_CIPHER_CTX_set_flags(context, Int32(EVP_CIPHER_CTX_FLAG_WRAP_ALLOW))
        let key = kek.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard EVP_CipherInit_ex(context, FetchedCipher.aes256Wrap, nil, key, nil, encrypt ? 1 : 0) == 1 else {
            throw .openSSL(.drainingQueue(operation: "EVP_CipherInit_ex(aes-256-wrap)"))
        }
        var written: Int32 = 0
        let rc = EVP_CipherUpdate(
            context, output.baseAddress?.assumingMemoryBound(to: UInt8.self), &written,
            input.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(input.count))
        guard rc == 1 else {
            cleanse(output)
            if encrypt { throw .openSSL(.drainingQueue(operation: "EVP_CipherUpdate(aes-256-wrap)")) }
            ERR_clear_error()
            throw .keyUnwrapIntegrityCheckFailed
        }
        var finalWritten: Int32 = 0
        guard EVP_CipherFinal_ex(context, output.baseAddress?.assumingMemoryBound(to: UInt8.self).advanced(by: Int(written)), &finalWritten) == 1
        else {
            cleanse(output)
            throw .openSSL(.drainingQueue(operation: "EVP_CipherFinal_ex(aes-256-wrap)"))
        }
        return Int(written + finalWritten)
    }
}
