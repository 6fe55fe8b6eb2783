import COpenSSL

/// Runs an `i2d_*` function in its allocating mode (`*out == NULL`) and copies the result out.
/// The corresponding C functions are the `i2d_*` family and `OPENSSL_free`.
package func derEncode(
    operation: String,
    _ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>) -> Int32
) throws(OpenSSLError) -> [UInt8] {
    var output: UnsafeMutablePointer<UInt8>? = nil
    let count = encode(&output)
    defer { guestguard_OPENSSL_free(output) }
    guard count > 0, let output else { throw .drainingQueue(operation: operation) }
    return Array(UnsafeBufferPointer(start: output, count: Int(count)))
}

/// Runs a `d2i_*` function over `der` and reports how many bytes it consumed, so callers can
/// reject trailing data. Returns nil if the parser failed (its error is still queued).
package func derDecode<Handle>(
    _ der: [UInt8],
    _ decode: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> Handle?
) -> (handle: Handle, consumed: Int)? {
    der.withUnsafeBufferPointer { buffer -> (handle: Handle, consumed: Int)? in
        var cursor = buffer.baseAddress
        guard let handle = decode(&cursor, buffer.count), let base = buffer.baseAddress, let cursor else { return nil }
        return (handle, cursor - base)
    }
}
