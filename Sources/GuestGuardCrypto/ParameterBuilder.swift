import COpenSSL

/// An `OSSL_PARAM_BLD` that keeps every key and value it was given alive until it is freed.
///
/// `OSSL_PARAM_BLD_push_*` stores the key and value *pointers* and copies the bytes only in
/// `OSSL_PARAM_BLD_to_param`, so Swift's temporary string and array pointers must not be passed
/// directly; this class copies them into its own allocations (cleansed on free).
final class ParameterBuilder {
    let handle: OpaquePointer
    private var allocations: [UnsafeMutableRawBufferPointer] = []

    /// The corresponding C function is `OSSL_PARAM_BLD_new`.
    init() throws(OpenSSLError) {
        guard let handle = OSSL_PARAM_BLD_new() else { throw .drainingQueue(operation: "OSSL_PARAM_BLD_new") }
        self.handle = handle
    }

    deinit {
        OSSL_PARAM_BLD_free(handle)
        for allocation in allocations {
            cleanse(allocation)
            allocation.deallocate()
        }
    }

    /// The corresponding C function is `OSSL_PARAM_BLD_push_utf8_string`.
    func push(_ key: String, utf8 value: String) -> Bool {
        OSSL_PARAM_BLD_push_utf8_string(handle, retained(key), retained(value), 0) == 1
    }

    /// The corresponding C function is `OSSL_PARAM_BLD_push_octet_string`.
    func push(_ key: String, octets value: [UInt8]) -> Bool {
        let copy = retained(bytes: value)
        return OSSL_PARAM_BLD_push_octet_string(handle, retained(key), copy.baseAddress, value.count) == 1
    }

    /// Pushes a big number, which must stay alive until `parameters()` has been called.
    /// The corresponding C function is `OSSL_PARAM_BLD_push_BN`.
    func push(_ key: String, number: OpaquePointer) -> Bool {
        OSSL_PARAM_BLD_push_BN(handle, retained(key), number) == 1
    }

    /// The corresponding C function is `OSSL_PARAM_BLD_to_param`; free the result with `OSSL_PARAM_free`.
    func parameters() throws(OpenSSLError) -> UnsafeMutablePointer<OSSL_PARAM> {
        guard let parameters = OSSL_PARAM_BLD_to_param(handle) else { throw .drainingQueue(operation: "OSSL_PARAM_BLD_to_param") }
        return parameters
    }

    private func retained(_ text: String) -> UnsafePointer<CChar> {
        let buffer = retained(bytes: Array(text.utf8) + [0])
        return UnsafePointer(buffer.baseAddress!.assumingMemoryBound(to: CChar.self))
    }

    private func retained(bytes: [UInt8]) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        buffer.copyBytes(from: bytes)
        allocations.append(buffer)
        return buffer
    }
}
