import COpenSSL

extension RSAPrivateKey {
    /// RSAES-OAEP decryption (RFC 8017 §7.1.2) with SHA-256, MGF1-SHA-256 and an empty label
    /// (JWE `RSA-OAEP-256`). `ciphertext` must be as long as the modulus. The message is written
    /// to the start of `output`, and its length returned; the decoding buffer is cleansed.
    /// A message longer than `output` is an error, not a truncation.
    /// The corresponding C functions are `EVP_PKEY_decrypt_init` and `EVP_PKEY_decrypt`.
    public func decryptRSAOAEPSHA256(
        _ ciphertext: [UInt8], into output: UnsafeMutableRawBufferPointer
    ) throws(CipherError) -> Int {
        let modulusBytes = (bits + 7) / 8
        guard ciphertext.count == modulusBytes else {
            throw .invalidLength(.rsaCiphertext, expected: modulusBytes, actual: ciphertext.count)
        }
        let context = try RSAOAEPContext(key: handle, encrypt: false)
        return try withSecretScratch(count: modulusBytes) { (scratch) throws(CipherError) -> Int in
            var length = scratch.count
            guard EVP_PKEY_decrypt(
                context.handle, scratch.baseAddress?.assumingMemoryBound(to: UInt8.self), &length, ciphertext, ciphertext.count) == 1
            else {
                ERR_clear_error()
                throw .rsaDecryptionFailed
            }
            guard length <= output.count else { throw .inputTooLarge(.output, limit: output.count, actual: length) }
            UnsafeMutableRawBufferPointer(rebasing: output[0..<length])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: scratch[0..<length]))
            return length
        }
    }

}
