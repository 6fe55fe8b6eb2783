import SNPABI

/// The origin-form request target (RFC 9112 §3.2.1): `path [ "?" query ]`.
struct HTTPRequestTarget: Equatable {
    enum ParseError: Error, Equatable, CustomStringConvertible {
        /// Absolute-form, authority-form and asterisk-form are not served.
        case notOriginForm(String)
        /// A `%` not followed by two hex digits, at this byte offset of the target.
        case badPercentEncoding(offset: Int)
        /// The decoded query is not UTF-8.
        case queryNotUTF8

        var description: String {
            switch self {
            case .notOriginForm: return "request target is not in origin form (must start with /)"
            case .badPercentEncoding(let offset): return "bad percent-encoding at byte \(offset) of the request target"
            case .queryNotUTF8: return "query is not UTF-8 after percent-decoding"
            }
        }
    }

    let path: String
    let query: [HTTPQueryItem]

    init(_ target: String) throws(ParseError) {
        guard target.utf8.first == UInt8(ascii: "/") else { throw .notOriginForm(target) }
        let bytes = Array(target.utf8)
        let queryStart = bytes.firstIndex(of: UInt8(ascii: "?"))
        path = String(decoding: bytes[..<(queryStart ?? bytes.endIndex)], as: UTF8.self)
        guard let queryStart else {
            query = []
            return
        }
        var items: [HTTPQueryItem] = []
        var start = queryStart + 1
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.endIndex
            if end > start {
                let pair = bytes[start..<end]
                let equals = pair.firstIndex(of: UInt8(ascii: "="))
                let name = try Self.percentDecoded(pair[..<(equals ?? end)])
                let value = try equals.map { equalsIndex throws(ParseError) in
                    try Self.percentDecoded(pair[(equalsIndex + 1)...])
                } ?? ""
                items.append(HTTPQueryItem(name: name, value: value))
            }
            start = end + 1
        }
        query = items
    }

    /// Decodes `%XX` escapes; `+` stays `+` (this is a URI query, not a form body).
    static func percentDecoded(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex,
                    let decoded = Hex.decode(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self))
                else { throw .badPercentEncoding(offset: index) }
                output.append(contentsOf: decoded)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        guard let text = String(validating: output, as: UTF8.self) else { throw .queryNotUTF8 }
        return text
    }
}
