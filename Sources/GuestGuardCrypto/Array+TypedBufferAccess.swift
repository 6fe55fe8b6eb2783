extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body with a typed error (the standard library's is `rethrows`).
    func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try withUnsafeBytes { buffer in Result { () throws(E) -> R in try body(buffer) } }.get()
    }

    /// `withUnsafeMutableBytes` for a body with a typed error.
    mutating func withMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try withUnsafeMutableBytes { buffer in Result { () throws(E) -> R in try body(buffer) } }.get()
    }
}
