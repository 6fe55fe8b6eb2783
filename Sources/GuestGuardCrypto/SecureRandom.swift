import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's default DRBG (seeded from `getrandom`).
public enum SecureRandom {
    /// Returns `count` random bytes.
    /// The corresponding C function is `RAND_bytes`.
    public static func bytes(count: Int) throws(OpenSSLError) -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "random byte count out of range")
        var bytes = [UInt8](repeating: 0, count: count)
        guard count == 0 || RAND_bytes(&bytes, Int32(count)) == 1 else {
            throw OpenSSLError.drainingQueue(operation: "RAND_bytes")
        }
        return bytes
    }
}

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
