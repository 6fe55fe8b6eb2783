import COpenSSL

extension HashFunction {
    /// The OpenSSL digest name for `EVP_Q_mac`'s `subalg`.
    var openSSLName: String {
        switch self {
        case .sha256: "SHA256"
        case .sha384: "SHA384"
        case .sha512: "SHA512"
        }
    }

    /// HMAC (RFC 2104) of `bytes` under `key` with this hash function.
    /// The corresponding C function is `EVP_Q_mac(NULL, "HMAC", NULL, <digest>, …)`.
    public func hmac(key: UnsafeRawBufferPointer, _ bytes: UnsafeRawBufferPointer) throws(OpenSSLError) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: digestByteCount)
        var length = 0
        let result = mac.withUnsafeMutableBufferPointer { out in
            EVP_Q_mac(nil, "HMAC", nil, openSSLName, nil, key.baseAddress, key.count,
                      bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, out.baseAddress, out.count, &length)
        }
        guard result != nil, length == digestByteCount else { throw OpenSSLError.drainingQueue(operation: "EVP_Q_mac(HMAC-\(self))") }
        return mac
    }
}
