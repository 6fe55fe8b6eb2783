import COpenSSL

extension SecureRandom {
    /// Fills `buffer` with random bytes in place (for keys that must live in locked memory).
    /// The corresponding C function is `RAND_bytes`.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(OpenSSLError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        precondition(buffer.count <= Int(Int32.max), "random byte count out of range")
        guard RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) == 1 else {
            throw .drainingQueue(operation: "RAND_bytes")
        }
    }
}
