import GuestGuardPlatform

extension SecretBytes {
    /// `filled(count:_:)` for a body with a typed error. If `body` throws, the partly written
    /// secret is released (and so wiped) before the error propagates.
    static func filling<E: Error>(count: Int, _ body: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) -> SecretBytes {
        var failure: E? = nil
        let secret = SecretBytes.filled(count: count) { buffer in
            do throws(E) { try body(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
        return secret
    }

    /// `withUnsafeBytes` for a body with a typed error.
    func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try withUnsafeBytes { buffer in Result { () throws(E) -> R in try body(buffer) } }.get()
    }
}
