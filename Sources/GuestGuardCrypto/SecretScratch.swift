import COpenSSL

/// Heap memory for an intermediate secret (a digest round, an RSA-OAEP decoding buffer):
/// zero-initialised, and cleansed and freed when `body` returns or throws.
/// The corresponding C function is `OPENSSL_cleanse`.
func withSecretScratch<R, E: Error>(
    count: Int, _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
) throws(E) -> R {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
    buffer.initializeMemory(as: UInt8.self, repeating: 0)
    defer {
        OPENSSL_cleanse(buffer.baseAddress, buffer.count)
        buffer.deallocate()
    }
    return try body(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]))
}

/// Overwrites `buffer` with zeros in a way the optimiser keeps.
/// The corresponding C function is `OPENSSL_cleanse`.
func cleanse(_ buffer: UnsafeMutableRawBufferPointer) {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return }
    OPENSSL_cleanse(base, buffer.count)
}

/// The largest length libcrypto's `int`-sized cipher interfaces accept in one call.
let maximumCipherInputByteCount = Int(Int32.max) - 64
