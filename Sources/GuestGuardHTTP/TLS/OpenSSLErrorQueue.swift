import COpenSSL

/// OpenSSL's thread-local error queue, copied out right after a failing call (the way
/// swift-nio-ssl's `buildErrorStack()` does) so the reason survives the hop to another thread.
public struct OpenSSLErrorQueue: Sendable, Hashable, CustomStringConvertible {
    /// One queued error: the packed code and OpenSSL's names for its library and reason.
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        /// The packed error code (`ERR_GET_LIB` / `ERR_GET_REASON` split it).
        public let code: UInt
        /// e.g. `"SSL routines"`.
        public let library: String
        /// e.g. `"certificate verify failed"`; `"reason(N)"` when OpenSSL has no text.
        public let reason: String
        /// Extra text the failing function attached (`ERR_TXT_STRING`), if any.
        public let data: String?

        public var description: String {
            let hex = String(code, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 8 - hex.count)) + hex
            return "error:\(padded):\(library):\(reason)" + (data.map { " (\($0))" } ?? "")
        }
    }

    /// Oldest first, as OpenSSL queued them.
    public let entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The innermost reason (the first queued), the one that names the cause.
    public var reason: String? { entries.first?.reason }

    public var description: String {
        entries.isEmpty ? "no OpenSSL error queued" : entries.map(\.description).joined(separator: "; ")
    }

    /// Empties the calling thread's queue into a value. The corresponding C function is
    /// `ERR_get_error_all`.
    static func drain() -> OpenSSLErrorQueue {
        var entries: [Entry] = []
        while true {
            var data: UnsafePointer<CChar>? = nil
            var flags: Int32 = 0
            let code = ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 { break }
            let library = ERR_lib_error_string(code).map { String(cString: $0) } ?? "lib(\(ERR_GET_LIB(code)))"
            let reason = ERR_reason_error_string(code).map { String(cString: $0) } ?? "reason(\(ERR_GET_REASON(code)))"
            let text = (flags & ERR_TXT_STRING) != 0 ? data.map { String(cString: $0) } : nil
            entries.append(Entry(code: code, library: library, reason: reason, data: text?.isEmpty == true ? nil : text))
        }
        return OpenSSLErrorQueue(entries: entries)
    }
}
