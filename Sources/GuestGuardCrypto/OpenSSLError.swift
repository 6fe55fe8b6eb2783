import COpenSSL

/// A failed libcrypto call: the operation we attempted plus OpenSSL's thread-local error queue,
/// copied out immediately after the failure (the swift-nio-ssl `buildErrorStack` pattern).
public struct OpenSSLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One entry of the OpenSSL error queue.
    public struct Entry: Hashable, Sendable, CustomStringConvertible {
        /// The packed error code (`ERR_GET_LIB` / `ERR_GET_REASON` decode it).
        public let code: UInt
        /// `ERR_error_string_n` text, e.g. `error:1E08010C:DECODER routines::unsupported`.
        public let text: String
        /// Extra data attached with `ERR_raise_data`, if any.
        public let data: String?

        public var reason: Int32 { ERR_GET_REASON(code) }
        public var library: Int32 { ERR_GET_LIB(code) }
        /// OpenSSL's words for the reason, e.g. `"certificate verify failed"`; `"reason(N)"` when it has none.
        /// The corresponding C function is `ERR_reason_error_string`.
        public var reasonText: String { ERR_reason_error_string(code).map { String(cString: $0) } ?? "reason(\(reason))" }

        public var description: String {
            data.map { "\(text) (\($0))" } ?? text
        }
    }

    /// The libcrypto function (or our operation built on it) that failed, e.g. `d2i_X509`.
    public let operation: String
    /// The drained error queue, oldest first. May be empty: some calls fail without queueing.
    public let entries: [Entry]

    public init(operation: String, entries: [Entry]) {
        self.operation = operation
        self.entries = entries
    }

    /// Drains the calling thread's OpenSSL error queue into a new error.
    /// Call this immediately after the failing call, before any other libcrypto call.
    /// The corresponding C function is `ERR_get_error_all`.
    public static func drainingQueue(operation: String) -> OpenSSLError {
        var entries: [Entry] = []
        while true {
            var data: UnsafePointer<CChar>? = nil
            var flags: Int32 = 0
            let code = ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let extra: String? =
                if flags & ERR_TXT_STRING != 0, let data, data.pointee != 0 { String(cString: data) } else { nil }
            entries.append(Entry(code: code, text: text, data: extra))
        }
        return OpenSSLError(operation: operation, entries: entries)
    }

    /// The innermost reason's words (the first queued entry, the one that names the cause).
    public var firstReason: String? { entries.first?.reasonText }

    public var description: String {
        if entries.isEmpty { return "\(operation) failed (OpenSSL queued no error)" }
        return "\(operation) failed: " + entries.map(\.description).joined(separator: "; ")
    }
}
