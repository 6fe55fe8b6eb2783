import COpenSSL

extension P384PrivateKey {
    /// Calls `body` with the private scalar d, 48 bytes big-endian, in scratch memory that is cleansed when `body`
    /// returns (for handing the simulated VCEK to nettle's signer, P384ECDSA). Secret material: never log it.
    /// The corresponding C functions are `EVP_PKEY_get_bn_param(OSSL_PKEY_PARAM_PRIV_KEY)`, `BN_bn2binpad` and
    /// `BN_clear_free`.
    public func withPrivateScalar<R>(_ body: (UnsafeRawBufferPointer) -> R) throws(KeyError) -> R {
        ERR_clear_error()
        var number: OpaquePointer? = nil
        guard EVP_PKEY_get_bn_param(handle, OSSL_PKEY_PARAM_PRIV_KEY, &number) == 1, let number else {
            throw .openSSL(.drainingQueue(operation: "EVP_PKEY_get_bn_param(priv)"))
        }
        defer { BN_clear_free(number) }
        let count = PublicKey.p384CoordinateByteCount
        return try withSecretScratch(count: count) { (scratch) throws(KeyError) -> R in
            guard BN_bn2binpad(number, scratch.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(count)) == Int32(count) else {
                throw .openSSL(.drainingQueue(operation: "BN_bn2binpad(priv)"))
            }
            return body(UnsafeRawBufferPointer(scratch))
        }
    }
}
