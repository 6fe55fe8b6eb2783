import SNPABI

/// An `http://` or `https://` URL as the client uses it: scheme, host (DNS name, IPv4, or
/// bracketed IPv6), port, and the origin-form target. User info and fragments are refused or
/// dropped, since nothing legitimate in this project uses them.
public struct HTTPURL: Hashable, Sendable, CustomStringConvertible {
    public enum Scheme: String, Hashable, Sendable {
        case http, https

        var defaultPort: Int { self == .http ? 80 : 443 }
    }

    public let scheme: Scheme
    /// Lowercased host, without brackets for IPv6 (`"::1"`).
    public let host: String
    public let port: Int
    /// Path and query, e.g. `/kbs/v0/resource/a/b/c?x=1`; `/` when the URL has none.
    public let target: String

    public init(_ string: String) throws(HTTPClientError) {
        func invalid(_ reason: String) -> HTTPClientError { .invalidURL(string, reason: reason) }
        guard string.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw invalid("contains spaces, control or non-ASCII characters")
        }
        guard let separator = string.firstRange(ofText: "://") else { throw invalid("no scheme") }
        guard let scheme = Scheme(rawValue: string[..<separator.lowerBound].lowercased()) else {
            throw invalid("scheme must be http or https")
        }
        var rest = string[separator.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let target = rest[authorityEnd...]
        guard !authority.contains("@") else { throw invalid("user info is not allowed") }

        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid("unterminated [IPv6] host") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("junk after ]") }
                portText = after.dropFirst()
            }
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw invalid("bad IPv6 literal \(host)")
            }
        } else {
            let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
            guard host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }) else {
                throw invalid("bad host name \(host)")
            }
        }
        guard !host.isEmpty else { throw invalid("empty host") }
        var port = scheme.defaultPort
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isNumber), let value = Int(portText),
                (1...65535).contains(value)
            else { throw invalid("bad port \(portText)") }
            port = value
        }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.target = target.isEmpty ? "/" : (target.hasPrefix("?") ? "/" + target : String(target))
    }

    /// The same origin with another target (`"/kbs/v0/auth"`).
    public func replacingTarget(_ target: String) throws(HTTPClientError) -> HTTPURL {
        try HTTPURL("\(scheme.rawValue)://\(authority)\(target.hasPrefix("/") ? target : "/" + target)")
    }

    /// `host[:port]` as the `Host` header wants it: IPv6 in brackets, default port omitted.
    public var authority: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port == scheme.defaultPort ? bracketed : "\(bracketed):\(port)"
    }

    public var description: String { "\(scheme.rawValue)://\(authority)\(target)" }
}
