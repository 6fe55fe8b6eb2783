import GuestGuardCrypto

/// The cipher API takes raw buffers so that keys can stay in locked memory; tests hold arrays.
/// `output(count:)` runs `body` over a fresh array pre-filled with `fill`, returning it even if
/// `body` throws (so a test can check that a failed operation cleansed it).
enum CipherBuffers {
    static func output(count: Int, fill: UInt8 = 0, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows -> [UInt8] {
        var bytes = [UInt8](repeating: fill, count: count)
        try bytes.withUnsafeMutableBytes(body)
        return bytes
    }

    /// Runs `body`, which must throw, over an output pre-filled with 0xAA; returns the error and
    /// what was left in the output.
    static func failure(count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) -> (error: (any Error)?, output: [UInt8]) {
        var bytes = [UInt8](repeating: 0xAA, count: count)
        var caught: (any Error)? = nil
        bytes.withUnsafeMutableBytes { buffer in
            do { try body(buffer) } catch { caught = error }
        }
        return (caught, bytes)
    }
}
