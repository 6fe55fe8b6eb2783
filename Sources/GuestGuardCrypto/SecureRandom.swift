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
