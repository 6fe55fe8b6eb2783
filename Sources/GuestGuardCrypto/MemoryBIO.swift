import COpenSSL

/// An owned in-memory `BIO`, used to feed PEM text to libcrypto and to collect its output.
final class MemoryBIO {
    let handle: OpaquePointer

    /// An empty, writable memory BIO.
    /// The corresponding C function is `BIO_new(BIO_s_mem())`.
    init() throws(OpenSSLError) {
        guard let handle = BIO_new(BIO_s_mem()) else { throw .drainingQueue(operation: "BIO_new") }
        self.handle = handle
    }

    /// A memory BIO holding a copy of `text`'s UTF-8 bytes.
    convenience init(copying text: String) throws(OpenSSLError) {
        try self.init()
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { BIO_write(handle, $0.baseAddress, Int32($0.count)) }
        guard bytes.isEmpty || written == Int32(bytes.count) else { throw .drainingQueue(operation: "BIO_write") }
    }

    deinit { BIO_free(handle) }

    /// The bytes written so far.
    /// The corresponding C function is `BIO_get_mem_data`.
    func contents() -> [UInt8] {
        var pointer: UnsafeMutablePointer<CChar>? = nil
        let count = guestguard_BIO_get_mem_data(handle, &pointer)
        guard let pointer, count > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    /// The bytes written so far, as text (PEM output is ASCII).
    func text() -> String { String(decoding: contents(), as: UTF8.self) }
}
