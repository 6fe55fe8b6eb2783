/// A request as the broker sees it, independent of the HTTP stack (the HTTP layer maps into it,
/// and tests drive the service without sockets).
public struct BrokerRequest: Sendable {
    public var method: String
    /// The path without the query string.
    public var path: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The client as the audit names it (`address:port`).
    public var client: String?
    /// The client as the rate limits count it (`HTTPRemoteAddress.rateLimitKey`); nil is not limited.
    public var rateLimitKey: String?

    public init(method: String, path: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [], client: String? = nil,
                rateLimitKey: String? = nil) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.client = client
        self.rateLimitKey = rateLimitKey
    }

    /// The first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The value of cookie `name` from every `Cookie` header.
    public func cookie(_ name: String) -> String? {
        for header in headers where header.name.lowercased() == "cookie" {
            for pair in header.value.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: " ") == name { return String(parts[1]).trimmingCharacters(in: " ") }
            }
        }
        return nil
    }
}

/// The broker's answer.
public struct BrokerResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

extension StringProtocol {
    /// Without leading and trailing `set`. For an ASCII `set` (every caller: a space, a newline)
    /// it works on the UTF-8 view, without building the result character by character (this runs
    /// for the cookie of every request).
    func trimmingCharacters(in set: Character) -> String {
        guard let byte = set.asciiValue else {
            return String(drop(while: { $0 == set }).reversed().drop(while: { $0 == set }).reversed())
        }
        let text = String(self)
        let utf8 = text.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, utf8[start] == byte { utf8.formIndex(after: &start) }
        while start < end, utf8[utf8.index(before: end)] == byte { utf8.formIndex(before: &end) }
        return String(text[start..<end])
    }
}
