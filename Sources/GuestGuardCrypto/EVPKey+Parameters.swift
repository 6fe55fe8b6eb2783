import COpenSSL

extension EVPKey {
    /// Builds a key of `type` (`"EC"`, `"RSA"`) from the parameters `build` pushes, for
    /// `selection` (`EVP_PKEY_PUBLIC_KEY`, `EVP_PKEY_KEYPAIR`). `build` returns false if a push
    /// failed. Secret parameters pushed from `BN_secure_new` numbers are cleansed on free.
    /// The corresponding C functions are `OSSL_PARAM_BLD_to_param` and `EVP_PKEY_fromdata`.
    static func fromData(
        type: String, selection: Int32, _ build: (ParameterBuilder) -> Bool
    ) throws(OpenSSLError) -> OpaquePointer {
        ERR_clear_error()
        let builder = try ParameterBuilder()
        guard build(builder) else { throw .drainingQueue(operation: "OSSL_PARAM_BLD_push(\(type))") }
        let parameters = try builder.parameters()
        defer { OSSL_PARAM_free(parameters) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else {
            throw .drainingQueue(operation: "EVP_PKEY_CTX_new_from_name(\(type))")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_fromdata_init(context) == 1, EVP_PKEY_fromdata(context, &key, selection, parameters) == 1, let key else {
            throw .drainingQueue(operation: "EVP_PKEY_fromdata(\(type))")
        }
        return key
    }

    /// A big-number parameter of `key` (`OSSL_PKEY_PARAM_RSA_N`, `OSSL_PKEY_PARAM_EC_PUB_X` …)
    /// as big-endian bytes: minimal (no leading zero bytes) when `paddedTo` is nil, otherwise
    /// left-padded to exactly that many bytes.
    /// The corresponding C functions are `EVP_PKEY_get_bn_param`, `BN_bn2bin` and `BN_bn2binpad`.
    static func bigNumberParameter(_ key: OpaquePointer, _ name: String, paddedTo width: Int? = nil) throws(OpenSSLError) -> [UInt8] {
        ERR_clear_error()
        var number: OpaquePointer? = nil
        guard EVP_PKEY_get_bn_param(key, name, &number) == 1, let number else {
            throw .drainingQueue(operation: "EVP_PKEY_get_bn_param(\(name))")
        }
        defer { BN_free(number) }
        let minimal = Int((BN_num_bits(number) + 7) / 8)
        var bytes = [UInt8](repeating: 0, count: width ?? minimal)
        let written = width.map { BN_bn2binpad(number, &bytes, Int32($0)) } ?? BN_bn2bin(number, &bytes)
        guard written == Int32(bytes.count) else { throw .drainingQueue(operation: "BN_bn2binpad(\(name))") }
        return bytes
    }
}
