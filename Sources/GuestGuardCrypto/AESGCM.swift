import COpenSSL

/// AES-256-GCM with a 96-bit nonce and a 128-bit tag: JWE `A256GCM` (RFC 7518 §5.3).
///
/// Keys and plaintexts are passed as raw buffers so that they can stay in locked memory; the
/// ciphertext, nonce, tag and AAD are not secret.
public enum AESGCM {
    public static let keyByteCount = 32
    public static let nonceByteCount = 12
    public static let tagByteCount = 16

    /// Encrypts `plaintext` and authenticates it together with `additionalAuthenticatedData`.
    /// The corresponding C functions are `EVP_EncryptInit_ex`, `EVP_EncryptUpdate`,
    /// `EVP_EncryptFinal_ex` and `EVP_CIPHER_CTX_ctrl(EVP_CTRL_AEAD_GET_TAG)`.
    public static func seal(
        _ plaintext: UnsafeRawBufferPointer, using key: UnsafeRawBufferPointer, nonce: [UInt8],
        authenticating additionalAuthenticatedData: [UInt8] = []
    ) throws(CipherError) -> AESGCMSealedBox {
        try checkInputs(key: key, nonce: nonce, text: plaintext.count, textInput: .plaintext, aad: additionalAuthenticatedData)
        let context = try Context(key: key, nonce: nonce, encrypt: true)
        try context.authenticate(additionalAuthenticatedData)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        try ciphertext.withMutableBytes { (output) throws(CipherError) in try context.update(plaintext, into: output) }
        var finalWritten: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: 16)
        guard EVP_EncryptFinal_ex(context.handle, &scratch, &finalWritten) == 1, finalWritten == 0 else {
            throw .openSSL(.drainingQueue(operation: "EVP_EncryptFinal_ex(aes-256-gcm)"))
        }
        var tag = [UInt8](repeating: 0, count: tagByteCount)
        guard EVP_CIPHER_CTX_ctrl(context.handle, EVP_CTRL_AEAD_GET_TAG, Int32(tagByteCount), &tag) == 1 else {
            throw .openSSL(.drainingQueue(operation: "EVP_CIPHER_CTX_ctrl(EVP_CTRL_AEAD_GET_TAG)"))
        }
        return AESGCMSealedBox(ciphertext: ciphertext, tag: tag)
    }

    /// Decrypts `ciphertext` into `output` (exactly as long) and checks `tag` over it and
    /// `additionalAuthenticatedData`. On a tag mismatch `output` is cleansed before
    /// `authenticationFailed` is thrown, so no unauthenticated plaintext is released.
    /// The corresponding C functions are `EVP_DecryptInit_ex`, `EVP_DecryptUpdate`,
    /// `EVP_CIPHER_CTX_ctrl(EVP_CTRL_AEAD_SET_TAG)` and `EVP_DecryptFinal_ex`.
    public static func open(
        ciphertext: [UInt8], tag: [UInt8], using key: UnsafeRawBufferPointer, nonce: [UInt8],
        authenticating additionalAuthenticatedData: [UInt8] = [], into output: UnsafeMutableRawBufferPointer
    ) throws(CipherError) {
        try checkInputs(key: key, nonce: nonce, text: ciphertext.count, textInput: .ciphertext, aad: additionalAuthenticatedData)
        guard tag.count == tagByteCount else { throw .invalidLength(.gcmTag, expected: tagByteCount, actual: tag.count) }
        guard output.count == ciphertext.count else {
            throw .invalidLength(.output, expected: ciphertext.count, actual: output.count)
        }
        let context = try Context(key: key, nonce: nonce, encrypt: false)
        do throws(CipherError) {
            try context.authenticate(additionalAuthenticatedData)
            try ciphertext.withBytes { (input) throws(CipherError) in try context.update(input, into: output) }
            var expectedTag = tag
            guard EVP_CIPHER_CTX_ctrl(context.handle, EVP_CTRL_AEAD_SET_TAG, Int32(tagByteCount), &expectedTag) == 1 else {
                throw CipherError.openSSL(.drainingQueue(operation: "EVP_CIPHER_CTX_ctrl(EVP_CTRL_AEAD_SET_TAG)"))
            }
            var finalWritten: Int32 = 0
            var scratch = [UInt8](repeating: 0, count: 16)
            guard EVP_DecryptFinal_ex(context.handle, &scratch, &finalWritten) == 1 else {
                ERR_clear_error()
                throw CipherError.authenticationFailed
            }
        } catch {
            cleanse(output)
            throw error
        }
    }

    private static func checkInputs(
        key: UnsafeRawBufferPointer, nonce: [UInt8], text: Int, textInput: CipherError.Input, aad: [UInt8]
    ) throws(CipherError) {
        guard key.count == keyByteCount else { throw .invalidLength(.aesKey, expected: keyByteCount, actual: key.count) }
        guard nonce.count == nonceByteCount else { throw .invalidLength(.gcmNonce, expected: nonceByteCount, actual: nonce.count) }
        guard text <= maximumCipherInputByteCount else {
            throw .inputTooLarge(textInput, limit: maximumCipherInputByteCount, actual: text)
        }
        guard aad.count <= maximumCipherInputByteCount else {
            throw .inputTooLarge(.additionalAuthenticatedData, limit: maximumCipherInputByteCount, actual: aad.count)
        }
    }

    /// An initialised `EVP_CIPHER_CTX` for AES-256-GCM, freed in `deinit`.
    private final class Context {
        let handle: OpaquePointer

        /// The corresponding C functions are `EVP_CipherInit_ex` and `EVP_CIPHER_CTX_ctrl(EVP_CTRL_AEAD_SET_IVLEN)`.
        init(key: UnsafeRawBufferPointer, nonce: [UInt8], encrypt: Bool) throws(CipherError) {
            ERR_clear_error()
            guard let handle = EVP_CIPHER_CTX_new() else { throw .openSSL(.drainingQueue(operation: "EVP_CIPHER_CTX_new")) }
            self.handle = handle
            let direction: Int32 = encrypt ? 1 : 0
            guard EVP_CipherInit_ex(handle, FetchedCipher.aes256GCM, nil, nil, nil, direction) == 1,
                EVP_CIPHER_CTX_ctrl(handle, EVP_CTRL_AEAD_SET_IVLEN, Int32(nonce.count), nil) == 1,
                EVP_CipherInit_ex(handle, nil, nil, key.baseAddress?.assumingMemoryBound(to: UInt8.self), nonce, direction) == 1
            else { throw .openSSL(.drainingQueue(operation: "EVP_CipherInit_ex(aes-256-gcm)")) }
        }

        deinit { EVP_CIPHER_CTX_free(handle) }

        /// Feeds additional authenticated data (an update with no output buffer).
        /// The corresponding C function is `EVP_CipherUpdate`.
        func authenticate(_ aad: [UInt8]) throws(CipherError) {
            guard !aad.isEmpty else { return }
            var written: Int32 = 0
            guard EVP_CipherUpdate(handle, nil, &written, aad, Int32(aad.count)) == 1 else {
                throw .openSSL(.drainingQueue(operation: "EVP_CipherUpdate(AAD)"))
            }
        }

        /// Transforms `input` into `output` (same length; GCM is a stream mode).
        /// The corresponding C function is `EVP_CipherUpdate`.
        func update(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CipherError) {
            guard input.count > 0, let source = input.baseAddress, let target = output.baseAddress else { return }
            var written: Int32 = 0
            guard EVP_CipherUpdate(
                handle, target.assumingMemoryBound(to: UInt8.self), &written, source.assumingMemoryBound(to: UInt8.self),
                Int32(input.count)) == 1, Int(written) == input.count
            else { throw .openSSL(.drainingQueue(operation: "EVP_CipherUpdate(aes-256-gcm)")) }
        }
    }
}

/// The output of AES-GCM sealing: ciphertext (as long as the plaintext) and the 16-byte tag.
public struct AESGCMSealedBox: Sendable, Hashable {
    public let ciphertext: [UInt8]
    public let tag: [UInt8]

    public init(ciphertext: [UInt8], tag: [UInt8]) {
        self.ciphertext = ciphertext
        self.tag = tag
    }
}
