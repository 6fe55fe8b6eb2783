import COpenSSL

extension PublicKey {
    /// The RSA modulus sizes accepted for RSA-OAEP-256 recipients.
    public static let supportedRSAModulusBits: Set<Int> = [2048, 3072, 4096]

    /// Imports an RSA public key from its modulus n and public exponent e (big-endian, as in a JWK
    /// `n`/`e`, RFC 7518 §6.3.1). n must be 2048, 3072 or 4096 bits with no leading zero byte; the
    /// key must pass the SP 800-56B §6.4.2.1 shape checks (odd n; odd e with 2^16 < e < 2^256) and
    /// libcrypto's public-key check.
    /// The corresponding C functions are `EVP_PKEY_fromdata` and `EVP_PKEY_public_check`.
    public convenience init(rsaModulus modulus: [UInt8], exponent: [UInt8]) throws(CipherError) {
        guard let first = modulus.first, first != 0 else {
            throw .invalidRSAPublicKey(reason: "the modulus is empty or has a leading zero byte")
        }
        let bits = modulus.count * 8 - first.leadingZeroBitCount
        guard Self.supportedRSAModulusBits.contains(bits) else { throw .unsupportedRSAModulusSize(bits: bits) }
        guard modulus[modulus.count - 1] & 1 == 1 else { throw .invalidRSAPublicKey(reason: "the modulus is even") }
        // SP 800-56B §6.4.2.1 / FIPS 186-5 §A.1.1: e odd, 2^16 < e < 2^256, minimal encoding.
        guard let leading = exponent.first, leading != 0, (3...32).contains(exponent.count), exponent[exponent.count - 1] & 1 == 1
        else {
            throw .invalidRSAPublicKey(reason: "the exponent is not an odd number in (2^16, 2^256) without leading zero bytes")
        }
        let key: OpaquePointer
        do throws(OpenSSLError) {
            let n = BN_bin2bn(modulus, Int32(modulus.count), nil)
            let e = BN_bin2bn(exponent, Int32(exponent.count), nil)
            defer {
                BN_free(n)
                BN_free(e)
            }
            key = try EVPKey.fromData(type: "RSA", selection: guestguard_EVP_PKEY_PUBLIC_KEY) { builder in
                guard let n, let e else { return false }
                return builder.push(OSSL_PKEY_PARAM_RSA_N, number: n) && builder.push(OSSL_PKEY_PARAM_RSA_E, number: e)
            }
        } catch {
            throw .openSSL(error)
        }
        self.init(takingOwnershipOf: key)
        try checkPublicKey(failure: .invalidRSAPublicKey(reason: "fails the SP 800-56B public key check"))
    }

    /// The modulus n and public exponent e, big-endian without leading zeros (JWK `n`, `e`).
    /// The corresponding C function is `EVP_PKEY_get_bn_param(OSSL_PKEY_PARAM_RSA_N/E)`.
    public func rsaComponents() throws(CipherError) -> (modulus: [UInt8], exponent: [UInt8]) {
        guard case .rsa = algorithm else { throw .wrongKeyType(expected: "RSA", actual: algorithm) }
        do {
            return (
                try EVPKey.bigNumberParameter(handle, OSSL_PKEY_PARAM_RSA_N),
                try EVPKey.bigNumberParameter(handle, OSSL_PKEY_PARAM_RSA_E)
            )
        } catch {
            throw .openSSL(error)
        }
    }

    /// RSAES-OAEP encryption (RFC 8017 §7.1.1) with SHA-256, MGF1-SHA-256 and an empty label:
    /// JWE `RSA-OAEP-256` (RFC 7518 §4.3). The result is as long as the modulus.
    /// The corresponding C functions are `EVP_PKEY_encrypt_init`, `EVP_PKEY_CTX_set_rsa_padding`,
    /// `EVP_PKEY_CTX_set_rsa_oaep_md`, `EVP_PKEY_CTX_set_rsa_mgf1_md` and `EVP_PKEY_encrypt`.
    public func encryptRSAOAEPSHA256(_ plaintext: UnsafeRawBufferPointer) throws(CipherError) -> [UInt8] {
        guard case .rsa(let bits) = algorithm else { throw .wrongKeyType(expected: "RSA", actual: algorithm) }
        let modulusBytes = (bits + 7) / 8
        let limit = modulusBytes - 2 * HashFunction.sha256.digestByteCount - 2
        guard plaintext.count <= limit else { throw .inputTooLarge(.plaintext, limit: limit, actual: plaintext.count) }
        let context = try RSAOAEPContext(key: handle, encrypt: true)
        var ciphertext = [UInt8](repeating: 0, count: modulusBytes)
        var length = ciphertext.count
        guard EVP_PKEY_encrypt(
            context.handle, &ciphertext, &length, plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), plaintext.count) == 1,
            length == modulusBytes
        else { throw .openSSL(.drainingQueue(operation: "EVP_PKEY_encrypt(RSA-OAEP-256)")) }
        return ciphertext
    }
}
